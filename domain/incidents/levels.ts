/**
 * Threat levels (脅威度) of the emergency plan as versioned data: each
 * prefecture keeps its own definitions (what a level means, who must be
 * told, the upward report deadline, whether J-LIS is involved, whether
 * disconnection is considered). The highest version is in force; an incident
 * keeps the version it was graded with. Setup and the demo seed defaults.
 */
import { db } from "../../lib/db";

export const LEVELS = [1, 2, 3, 4] as const;
export type ThreatLevel = (typeof LEVELS)[number];

export interface LevelDefinition {
  level: number;
  meaning: string;
  notify: string;
  /** Upward report deadline in minutes from opening; null: none required. */
  reportWithinMinutes: number | null;
  jlisInvolved: boolean;
  disconnectionConsidered: boolean;
}

/** Sensible defaults modelled on published prefectural emergency plans (緊急時対応計画). */
export const DEFAULT_LEVELS: LevelDefinition[] = [
  {
    level: 1,
    meaning: "影響が一の団体内に留まり、本人確認情報の漏えい・改ざんのおそれがないもの（軽微な障害、単発の不審な操作）",
    notify: "当該団体のセキュリティ責任者・システム管理者",
    reportWithinMinutes: null,
    jlisInvolved: false,
    disconnectionConsidered: false,
  },
  {
    level: 2,
    meaning: "業務への影響又は不正行為の疑いがあり、都道府県への報告を要するもの",
    notify: "当該団体のセキュリティ責任者、都道府県の監視センター",
    reportWithinMinutes: 24 * 60,
    jlisInvolved: false,
    disconnectionConsidered: false,
  },
  {
    level: 3,
    meaning: "本人確認情報の漏えい・不正利用の疑い、又は複数団体・都道府県サーバに影響が及ぶおそれがあるもの",
    notify: "当該団体のセキュリティ統括責任者、都道府県のセキュリティ責任者、全国センター（機構）",
    reportWithinMinutes: 60,
    jlisInvolved: true,
    disconnectionConsidered: true,
  },
  {
    level: 4,
    meaning: "漏えい・改ざんが確認され、又はネットワーク全体に被害が拡大するおそれがあるもの",
    notify: "当該団体の長、都道府県のセキュリティ統括責任者、全国センター（機構）、総務省",
    reportWithinMinutes: 30,
    jlisInvolved: true,
    disconnectionConsidered: true,
  },
];

export class LevelError extends Error {}

/** The prefecture (or national centre) whose plan governs an organisation: itself or its nearest such ancestor. */
export async function planOwnerOf(organizationId: string): Promise<string> {
  let id: string | null = organizationId;
  let last = organizationId;
  for (let i = 0; id && i < 10; i++) {
    const org: { id: string; kind: string; parentId: string | null } | null = await db().organization.findUnique({
      where: { id },
      select: { id: true, kind: true, parentId: true },
    });
    if (!org) break;
    last = org.id;
    if (org.kind === "prefecture" || org.kind === "national") return org.id;
    id = org.parentId;
  }
  return last;
}

/** The definitions in force for an organisation's plan: the highest version; the defaults (version 0) when none were saved. */
export async function levelsInForce(organizationId: string): Promise<{ owner: string; version: number; levels: LevelDefinition[] }> {
  const owner = await planOwnerOf(organizationId);
  const latest = await db().threatLevelDefinition.findFirst({ where: { organizationId: owner }, orderBy: { version: "desc" }, select: { version: true } });
  if (!latest) return { owner, version: 0, levels: DEFAULT_LEVELS };
  return { owner, version: latest.version, levels: await levelsOfVersion(owner, latest.version) };
}

export async function levelsOfVersion(owner: string, version: number): Promise<LevelDefinition[]> {
  if (version === 0) return DEFAULT_LEVELS;
  const rows = await db().threatLevelDefinition.findMany({ where: { organizationId: owner, version }, orderBy: { level: "asc" } });
  return rows.map(({ level, meaning, notify, reportWithinMinutes, jlisInvolved, disconnectionConsidered }) => ({
    level,
    meaning,
    notify,
    reportWithinMinutes,
    jlisInvolved,
    disconnectionConsidered,
  }));
}

/** Saves a new version of a plan owner's definitions (all four levels); returns the version number. */
export async function saveLevels(owner: string, levels: LevelDefinition[], by: string): Promise<number> {
  const sorted = [...levels].sort((a, b) => a.level - b.level);
  if (sorted.map((l) => l.level).join() !== LEVELS.join()) throw new LevelError("the definitions must cover levels 1–4 once each");
  for (const l of sorted) {
    if (!l.meaning.trim() || !l.notify.trim()) throw new LevelError(`level ${l.level}: meaning and who must be told are required`);
    if (l.reportWithinMinutes !== null && !(Number.isInteger(l.reportWithinMinutes) && l.reportWithinMinutes > 0 && l.reportWithinMinutes <= 30 * 24 * 60))
      throw new LevelError(`level ${l.level}: report deadline must be 1–43200 minutes or none`);
  }
  return db().$transaction(async (tx) => {
    const latest = await tx.threatLevelDefinition.findFirst({ where: { organizationId: owner }, orderBy: { version: "desc" }, select: { version: true } });
    const version = (latest?.version ?? 0) + 1;
    await tx.threatLevelDefinition.createMany({ data: sorted.map((l) => ({ ...l, organizationId: owner, version, createdBy: by })) });
    return version;
  });
}

/** Seeds version 1 with the defaults for a plan owner that has none (setup, demo); idempotent. */
export async function seedDefaultLevels(owner: string): Promise<void> {
  if (await db().threatLevelDefinition.count({ where: { organizationId: owner } })) return;
  await saveLevels(owner, DEFAULT_LEVELS, "system:setup");
}
