/** Registers (issue 17): pages, routes and server actions of the equipment register and the IC card register. */
import { ALL, CITY_AND_OTHER, db, file, get, has, inScope, orgTargets, page, read, session, type Entry, type Target } from "./policy";
import type { Caller } from "./world";

/** The registers are kept (changed) by admins and municipal officers of organisations in their scope; every role reads them. */
const keeps = (c: Caller, t: Target) => session(c) && has(c, ["admin", "municipal_officer"]) && inScope(c, t);

/** A device of `org` made for one check (the matrix's own row; the register import would refuse nothing here). */
async function device(org: string, assetNo: string): Promise<{ id: string }> {
  const data = { organizationId: org, assetNo, kind: "cs_server", name: "authz" };
  const e = await (
    await db()
  ).equipment.upsert({ where: { organizationId_assetNo: { organizationId: org, assetNo } }, create: data, update: { status: "in_service" } });
  return { id: String(e.id) };
}
/** The first registered card of an operator of `org` (the fixture registry's IC-<org>-001). */
const cardOf = (org: string) => `IC-${org}-001`;

export const REGISTER_ENTRIES: Record<string, Entry> = {
  "PAGE /registers/equipment": { allow: page(ALL), targets: orgTargets((org) => ({ call: () => get(`/registers/equipment?organization=${org}`) })) },
  "PAGE /registers/equipment/[id]": {
    allow: page(ALL),
    targets: CITY_AND_OTHER((org) => ({ setup: () => device(org, `authz-view-${org}`), call: (_w, _c, _n, p) => get(`/registers/equipment/${p.id}`) })),
  },
  "PAGE /registers/cards": { allow: page(ALL), targets: orgTargets((org) => ({ call: () => get(`/registers/cards?organization=${org}`) })) },
  "PAGE /registers/cards/[cardId]": { allow: page(ALL), targets: CITY_AND_OTHER((org) => ({ call: () => get(`/registers/cards/${cardOf(org)}`) })) },
  "GET /api/registers/equipment/export": {
    allow: read(ALL),
    targets: orgTargets((org) => ({ call: () => get(`/api/registers/equipment/export?organization=${org}`) })),
  },
  "POST /api/registers/equipment/import": {
    // A row of an organisation outside the scope is a row problem, not a refusal of the request: judged by what was stored.
    allow: keeps,
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({
        method: "POST",
        url: "/api/registers/equipment/import",
        form: { dryRun: "0", file: file("authz.csv", `管理番号,団体コード,機器種別,機器名\nauthz-imp-${n},${org},CSサーバ,authz\n`) },
      }),
      effect: async (_w, _c, n) => (await (await db()).equipment.count({ where: { assetNo: `authz-imp-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/registers.ts#saveEquipmentAction": {
    allow: keeps,
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { organizationId: org, assetNo: `authz-save-${n}`, kind: "firewall", name: "authz", status: "in_service" } }),
      effect: async (_w, _c, n) => (await (await db()).equipment.count({ where: { assetNo: `authz-save-${n}` } })) > 0,
    })),
  },
  "ACTION app/_actions/registers.ts#retireEquipmentAction": {
    allow: keeps,
    targets: CITY_AND_OTHER((org) => ({
      setup: (_w, n) => device(org, `authz-retire-${n}`),
      call: (_w, _c, _n, p) => ({ action: true, form: { id: p.id, disposedOn: "2026-01-01", wipeMethod: "authz", wipedBy: "authz" } }),
      effect: async (_w, _c, _n, p) => (await (await db()).equipment.findUnique({ where: { id: Number(p.id) } }))?.status === "retired",
    })),
  },
  "ACTION app/_actions/registers.ts#cardRegisterAction": {
    allow: keeps,
    targets: CITY_AND_OTHER((org) => ({
      call: (_w, _c, n) => ({ action: true, form: { cardId: cardOf(org), op: "details", note: `authz-card-${n}` } }),
      effect: async (_w, _c, n) => (await (await db()).cardRecord.count({ where: { note: `authz-card-${n}` } })) > 0,
    })),
  },
};
