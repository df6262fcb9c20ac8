"use server";
/**
 * Server actions of the equipment register and the IC card register (issue 17): add or update a device, record
 * its disposal; lend, take back, report lost, revoke a card and set its dates. Admins and municipal officers
 * keep the registers of the organisations in their scope; each change is written to the audit trail and
 * redirects back with a Japanese message. The register file import is POST /api/registers/equipment/import.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { CardError, closeCard, lendCard, returnCard, setCardDetails } from "../../domain/registers/cards";
import { EquipmentError, retireEquipment, saveEquipment } from "../../domain/registers/equipment";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError } from "../../lib/auth/principal";
import { pageScope, requireUser } from "../../lib/auth/pages";
import { jstMidnight, parseDateKey } from "../../lib/calendar";
import { t, type MessageKey } from "../../lib/i18n";
import { auditActor, formFields } from "./form";

const KEEPERS = ["admin", "municipal_officer"] as const;
const withMessage = (path: string, key: "ok" | "error", text: string) => `${path}${path.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(text)}`;

function message(e: unknown, area: "equipment" | "cards"): string {
  if (e instanceof EquipmentError || e instanceof CardError) return `${t(`registers.${area}.error.${e.code}` as MessageKey)}（${e.message}）`;
  if (e instanceof AuthError) return t(e.status === 404 ? (`registers.${area}.error.not_found` as MessageKey) : "forbidden.title");
  throw e;
}

/** A datetime-local value (JST) as an instant; an invalid date when malformed. */
function jstDateTime(value: string | undefined): Date {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value ?? "");
  const key = m && parseDateKey(m[1]);
  if (!m || !key) return new Date(NaN);
  return new Date(jstMidnight(key).getTime() + (Number(m[2]) * 60 + Number(m[3])) * 60_000);
}

export async function saveEquipmentAction(form: FormData): Promise<void> {
  const user = await requireUser([...KEEPERS]);
  const scope = await pageScope(user);
  const f = formFields(form);
  let id: number;
  try {
    id = (
      await saveEquipment(scope, {
        organizationId: f.organizationId ?? "",
        assetNo: f.assetNo ?? "",
        kind: f.kind ?? "",
        name: f.name ?? "",
        location: f.location,
        nodeId: f.nodeId,
        terminalId: f.terminalId,
        installedOn: f.installedOn,
        maintenanceEnd: f.maintenanceEnd,
        plannedRenewal: f.plannedRenewal,
        status: f.status,
        note: f.note,
      })
    ).id;
  } catch (e) {
    redirect(withMessage("/registers/equipment", "error", message(e, "equipment")));
  }
  await recordAudit({
    ...auditActor(user, scope),
    action: "equipment_saved",
    target: String(id),
    organizationId: f.organizationId,
    details: { assetNo: f.assetNo, status: f.status },
  });
  revalidatePath("/registers/equipment");
  redirect(withMessage(`/registers/equipment/${id}`, "ok", t("registers.equipment.saved")));
}

export async function retireEquipmentAction(form: FormData): Promise<void> {
  const user = await requireUser([...KEEPERS]);
  const scope = await pageScope(user);
  const f = formFields(form);
  const id = Number(f.id);
  const page = Number.isSafeInteger(id) && id > 0 ? `/registers/equipment/${id}` : "/registers/equipment";
  try {
    await retireEquipment(scope, id, { disposedOn: f.disposedOn ?? "", wipeMethod: f.wipeMethod ?? "", wipedBy: f.wipedBy ?? "" });
  } catch (e) {
    redirect(withMessage(page, "error", message(e, "equipment")));
  }
  await recordAudit({
    ...auditActor(user, scope),
    action: "equipment_retired",
    target: String(id),
    details: { disposedOn: f.disposedOn, wipeMethod: f.wipeMethod },
  });
  revalidatePath(page);
  redirect(withMessage(page, "ok", t("registers.equipment.retired")));
}

const CARD_OPS = ["lend", "return", "lost", "revoke", "details"] as const;

/** One recording in a card's register, chosen by the form's `op`. */
export async function cardRegisterAction(form: FormData): Promise<void> {
  const user = await requireUser([...KEEPERS]);
  const scope = await pageScope(user);
  const f = formFields(form);
  const cardId = (f.cardId ?? "").slice(0, 128);
  const page = `/registers/cards/${encodeURIComponent(cardId)}`;
  const op = f.op as (typeof CARD_OPS)[number];
  try {
    if (!CARD_OPS.includes(op)) throw new CardError("bad_input", `op: unknown "${f.op}"`);
    if (op === "lend") await lendCard(scope, cardId, { operatorId: f.operatorId ?? "", lentAt: jstDateTime(f.at), lentBy: f.by ?? "", dueOn: f.dueOn });
    else if (op === "return") await returnCard(scope, cardId, { returnedAt: jstDateTime(f.at), receivedBy: f.by ?? "" });
    else if (op === "lost" || op === "revoke")
      await closeCard(scope, cardId, { what: op === "lost" ? "lost" : "revoked", at: jstDateTime(f.at), by: f.by ?? "" });
    else await setCardDetails(scope, cardId, { issuedOn: f.issuedOn, expiresOn: f.expiresOn, note: f.note });
  } catch (e) {
    redirect(withMessage(page, "error", message(e, "cards")));
  }
  await recordAudit({ ...auditActor(user, scope), action: "card_register_updated", target: cardId, details: { op, operatorId: f.operatorId, at: f.at } });
  revalidatePath(page);
  redirect(withMessage(page, "ok", t("registers.cards.saved")));
}
