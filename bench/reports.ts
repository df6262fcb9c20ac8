/**
 * Report speed on the demo prefecture at scale (its own Elasticsearch and
 * SQLite, 30 days of demo traffic ingested through the real pipeline):
 *   1. the 19 municipalities' external-audit reports: live statistics from
 *      Elasticsearch, checklist results, findings, PDF and XLSX annex;
 *      baseline: the same Elasticsearch aggregations issued raw;
 *   2. the prefecture's yearly usage report and the provision table over the
 *      data; baseline: one raw aggregation each with the same grouping.
 *
 *   npm run bench:reports [-- --scale 11 --days 30 --reuse --keep-es]
 */
import fs from "node:fs";
import path from "node:path";
import { jstParts } from "../lib/calendar";
import { log, prepareDataset } from "./dataset";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const scale = Number(arg("scale", "11"));
  const days = Number(arg("days", "30"));
  const ds = await prepareDataset({ scale, days, reuse: process.argv.includes("--reuse") });
  const { db } = await import("../lib/db");
  const { es } = await import("../lib/es/client");
  const { aliasName } = await import("../lib/es/indices");
  const { createUser } = await import("../lib/auth/accounts");
  const { seedChecklistRound } = await import("../scripts/demo/checklist");
  const { templateForYear } = await import("../domain/checklist/template");
  const { createEngagement, createFinding } = await import("../domain/audits/workflow");
  const { reportDocument } = await import("../domain/audits/report");
  const { renderReportPdf } = await import("../reports/audit/render/report");
  const { renderReportAnnexXlsx } = await import("../reports/audit/render/annex");
  const { usageReport } = await import("../domain/statistics/usage");
  const { provisionTable } = await import("../domain/statistics/provisions");
  const { subtree, systemScope } = await import("../lib/auth/scope");

  const from = new Date(`${ds.labels.from.slice(0, 10)}T00:00:00+09:00`);
  const to = new Date(new Date(`${ds.labels.to.slice(0, 10)}T00:00:00+09:00`).getTime() + 86_400_000);
  const municipalities = await db().organization.findMany({ where: { parentId: "350001", kind: "municipality" }, orderBy: { id: "asc" } });
  log(`${ds.events.toLocaleString()} events, ${municipalities.length} municipalities, ${from.toISOString()} … ${to.toISOString()}`);

  // The engagement, findings and this year's checklist, once per dataset.
  const user = async (loginId: string, role: "admin" | "auditor") =>
    (await db().user.findUnique({ where: { loginId } })) ??
    (await createUser({ loginId, name: loginId, role, organizationId: "350001", password: "bench-password-not-secret" }));
  const admin = await user("bench-admin", "admin");
  const auditor = await user("bench-auditor", "auditor");
  const A = { kind: "user" as const, id: admin.id, login: admin.loginId, role: "admin" as const, organizationId: "350001" };
  const U = { kind: "user" as const, id: auditor.id, login: auditor.loginId, role: "auditor" as const, organizationId: "350001" };
  const fy = 2026;
  await seedChecklistRound({
    prefectureId: "350001",
    fiscalYear: fy,
    template: templateForYear(fy),
    openedAt: new Date("2026-10-01T00:00:00+09:00"),
    deadline: new Date("2027-01-29T00:00:00+09:00"),
    states: Object.fromEntries(municipalities.map((m) => [m.id, "accepted"])),
    actor: { id: admin.id, login: admin.loginId },
    reviewer: { id: admin.id, login: admin.loginId },
  });
  let engagement = await db().auditEngagement.findFirst({ where: { firm: "ベンチ監査法人" } });
  if (!engagement) {
    engagement = await createEngagement(A, {
      firm: "ベンチ監査法人",
      fiscalYear: fy,
      accessFrom: new Date(Date.now() - 86_400_000),
      accessTo: new Date(Date.now() + 365 * 86_400_000),
      auditFrom: from,
      auditTo: to,
      organizationIds: municipalities.map((m) => m.id),
      auditorLogins: [auditor.loginId],
    });
    for (const m of municipalities) {
      for (const [i, grade] of (["major", "minor", "observation"] as const).entries()) {
        await createFinding(U, engagement.id, m.id, {
          title: `${m.name} 指摘事項 ${i + 1}`,
          grade,
          criterion: "セキュリティ基準に定める事項",
          condition: "確認記録が一部保存されていない。",
          cause: "手順が文書化されていない。",
          effect: "不適正な利用を早期に発見できないおそれがある。",
          recommendation: "手順を定め、記録を保存すること。",
        });
      }
    }
  }

  // ---------------------------------------------------- 19 audit reports
  const out = path.join(ds.dir, "reports");
  fs.mkdirSync(out, { recursive: true });
  let stats = 0;
  let render = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const m of municipalities) {
    const a = performance.now();
    const doc = await reportDocument(U, engagement.id, m.id);
    const b = performance.now();
    const pdf = await renderReportPdf(doc);
    const xlsx = await renderReportAnnexXlsx(doc);
    render += performance.now() - b;
    stats += b - a;
    bytes += pdf.length;
    fs.writeFileSync(path.join(out, `audit-report-${m.id}.pdf`), pdf);
    fs.writeFileSync(path.join(out, `audit-annex-${m.id}.xlsx`), xlsx);
  }
  const reportsMs = performance.now() - t0;

  // Baseline: the same aggregations, raw, per municipality. The baselines measure Elasticsearch itself, so they
  // stay raw reads with their own organisation filters on purpose (not the console's code path, no scope helper).
  const b0 = performance.now();
  for (const m of municipalities) {
    const q = { bool: { filter: [{ term: { "organization.id": m.id } }, { range: { "@timestamp": { gte: from.toISOString(), lt: to.toISOString() } } }] } };
    await es().search({
      index: aliasName("events"),
      size: 0,
      track_total_hits: true,
      query: q,
      aggs: {
        a: { terms: { field: "event.action", size: 50 } },
        u: {
          composite: { size: 1000, sources: [{ s: { terms: { field: "jukinet.purpose.schedule" } } }, { i: { terms: { field: "jukinet.purpose.item" } } }] },
        },
      },
    });
  }
  const reportsBaseMs = performance.now() - b0;

  // ------------------------------------------------- yearly statistics
  const scope = await subtree("350001");
  const u0 = performance.now();
  // The whole demo deployment (the prefecture's subtree and the national centre): the system scope.
  const usage = await usageReport(systemScope("bench"), { fiscalYear: fy, now: to });
  const usageMs = performance.now() - u0;
  const ub0 = performance.now(); // raw baseline, as above
  await es().search({
    index: aliasName("events"),
    size: 0,
    query: {
      bool: {
        filter: [
          { terms: { "organization.id": scope } },
          { term: { "event.action": "search" } },
          { range: { "@timestamp": { gte: "2026-04-01T00:00:00+09:00", lt: to.toISOString() } } },
        ],
      },
    },
    aggs: {
      s: {
        terms: { field: "jukinet.purpose.schedule", size: 20 },
        aggs: { o: { terms: { field: "organization.id", size: 100 } }, i: { cardinality: { field: "jukinet.purpose.item" } } },
      },
    },
  });
  const usageBaseMs = performance.now() - ub0;

  const month = (d: Date) => jstParts(d).dateKey.slice(0, 7);
  const p0 = performance.now();
  const provisions = await provisionTable(systemScope("bench"), { from: month(from), to: month(new Date(to.getTime() - 1)), now: to });
  const provisionsMs = performance.now() - p0;
  const pb0 = performance.now(); // raw baseline, as above
  await es().search({
    index: aliasName("events"),
    size: 0,
    query: {
      bool: {
        filter: [
          { terms: { "organization.id": [...scope, "000001"] } },
          { terms: { "event.action": ["provide", "batch_provide"] } },
          { range: { "@timestamp": { gte: from.toISOString(), lt: to.toISOString() } } },
        ],
      },
    },
    aggs: {
      c: {
        composite: {
          size: 10000,
          sources: [
            { r: { terms: { field: "jukinet.recipient.id" } } },
            { i: { terms: { field: "jukinet.purpose.item" } } },
            { ch: { terms: { field: "jukinet.channel" } } },
            { m: { date_histogram: { field: "@timestamp", calendar_interval: "month", time_zone: "Asia/Tokyo" } } },
          ],
        },
        aggs: { n: { sum: { field: "jukinet.record_count" } } },
      },
    },
  });
  const provisionsBaseMs = performance.now() - pb0;

  console.log(`reports on ${ds.events.toLocaleString()} demo events (scale ${scale}, ${days} days) → ${out}`);
  console.log(
    `  19 external-audit reports (statistics + PDF + XLSX annex): ${s(reportsMs)} total (${(reportsMs / municipalities.length).toFixed(0)} ms each; statistics ${s(stats)}, rendering ${s(render)}; ${(bytes / 1024).toFixed(0)} KiB of PDF)   target < 60 s`,
  );
  console.log(`    baseline raw aggregations per municipality: ${s(reportsBaseMs)}   ratio ${(reportsMs / reportsBaseMs).toFixed(1)}`);
  console.log(
    `  yearly usage report (prefecture + ${scope.length - 1} organisations, FY${fy} to date and the year before): ${s(usageMs)}; ${usage.schedules.length} schedules, ${usage.total.searches.toLocaleString()} searches`,
  );
  console.log(`    baseline one raw aggregation: ${s(usageBaseMs)}   ratio ${(usageMs / usageBaseMs).toFixed(1)}`);
  console.log(
    `  provision table (${provisions.months.length} months, ${provisions.groups.length} recipient × 事務 groups, ${provisions.total.toLocaleString()} records): ${s(provisionsMs)}`,
  );
  console.log(`    baseline one raw composite aggregation: ${s(provisionsBaseMs)}   ratio ${(provisionsMs / provisionsBaseMs).toFixed(1)}`);
  await ds.stop();
  if (reportsMs > 60_000) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
