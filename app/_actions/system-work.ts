"use server";
/**
 * Server actions of the system-work pages (連携制御記録, issue 18 item 4).
 * domain/systemwork/records.ts checks scope and permission; these parse the
 * forms, translate refusals into catalogue messages (a refused release names
 * each missing confirmation) and record the audit trail.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  confirmForRelease,
  createSystemWork,
  getSystemWork,
  releaseLinkControl,
  setLinkControl,
  SystemWorkError,
  updateSystemWork,
} from "../../domain/systemwork/records";
import { STEPS } from "../../domain/systemwork/slippage";
import { jstInstant } from "../../domain/registry/windows";
import { recordAudit } from "../../lib/audit/trail";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { requireUser } from "../../lib/auth/pages";
import { t, type MessageKey } from "../../lib/i18n";

const message = (e: unknown): string => {
  if (e instanceof SystemWorkError) {
    const base = t(`systemWork.error.${e.code}` as MessageKey);
    if (e.code === "release_refused") return `${base}：${e.missing.map((m) => t(`systemWork.missing.${m}` as MessageKey)).join("、")}`;
    return e.missing.length && e.code === "bad_input" ? `${base}（${e.missing.map(fieldLabel).join("、")}）` : base;
  }
  if (e instanceof AuthError) return t("systemWork.error.outside");
  throw e;
};

/** The form field a refusal names, as its label (step dates: the step's name). */
function fieldLabel(field: string): string {
  const known: Record<string, MessageKey> = {
    title: "systemWork.workTitle",
    vendor: "systemWork.vendor",
    purpose: "systemWork.purpose",
    note: "systemWork.note",
    by: "systemWork.by",
    organization: "systemWork.organization",
  };
  if (known[field]) return t(known[field]);
  const step = field.split(".")[0];
  return (STEPS as readonly string[]).includes(step) ? t(`systemWork.step.${step}` as MessageKey) : field;
}

/** A `datetime-local` (JST) value as a Date; undefined when empty. */
const instant = (v: FormDataEntryValue | null): Date | undefined => {
  const s = String(v ?? "").trim();
  return s ? new Date(jstInstant(s)) : undefined;
};
const iso = (v: FormDataEntryValue | null) => instant(v)?.toISOString() ?? null;

const recordInput = z.object({
  organization: z.string().regex(/^\d{6}$/),
  title: z.string().max(1000),
  vendor: z.string().max(1000),
  purpose: z.string().max(20),
  note: z.string().max(4000).optional(),
});

const stepsOf = (form: FormData) => STEPS.map((step) => ({ step, plannedAt: iso(form.get(`${step}.planned`)), actualAt: iso(form.get(`${step}.actual`)) }));

const detail = (id: string) => `/system-work/${encodeURIComponent(id)}`;

/** Creates a record, then its page (or back to the form with the error). */
export async function createSystemWorkAction(form: FormData): Promise<void> {
  const a = await requireUser();
  const parsed = recordInput.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.includes("."))));
  let error: string | undefined;
  let id = "";
  if (!parsed.success) error = `${t("systemWork.error.bad_input")}（${parsed.error.issues.map((i) => fieldLabel(String(i.path[0]))).join("、")}）`;
  else {
    try {
      const w = await createSystemWork(a, {
        organizationId: parsed.data.organization,
        title: parsed.data.title,
        vendor: parsed.data.vendor,
        purpose: parsed.data.purpose,
        note: parsed.data.note,
        steps: stepsOf(form),
      });
      id = w.id;
      await recordAudit({
        actorId: a.id,
        actorLogin: a.login,
        action: "system_work_create",
        target: w.id,
        organizationId: w.organizationId,
        details: { vendor: w.vendor, purpose: w.purpose },
      });
    } catch (e) {
      error = message(e);
    }
  }
  revalidatePath("/system-work");
  redirect(error ? `/system-work/new?error=${encodeURIComponent(error)}` : detail(id));
}

/** Runs one change of a record from its page and goes back there (with the error, if refused). */
async function change(form: FormData, run: (a: Principal, id: string) => Promise<Record<string, unknown> | void>, audit: string): Promise<never> {
  const a = await requireUser();
  const id = String(form.get("id") ?? "").slice(0, 40);
  let error: string | undefined;
  try {
    const details = await run(a, id);
    const w = await getSystemWork(a, id);
    await recordAudit({ actorId: a.id, actorLogin: a.login, action: audit, target: id, organizationId: w.organizationId, details: details ?? null });
  } catch (e) {
    error = message(e);
    if (e instanceof SystemWorkError && e.code === "release_refused") {
      // A refused release is worth its own line in the trail: who tried, and what was missing.
      await recordAudit({ actorId: a.id, actorLogin: a.login, action: "system_work_release_refused", target: id, details: { missing: e.missing } });
    }
  }
  revalidatePath(detail(id));
  redirect(error ? `${detail(id)}?error=${encodeURIComponent(error)}` : `${detail(id)}?ok=1`);
}

export async function updateSystemWorkAction(form: FormData): Promise<void> {
  await change(
    form,
    async (a, id) => {
      const parsed = recordInput.omit({ organization: true }).safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.includes("."))));
      if (!parsed.success)
        throw new SystemWorkError(
          "bad_input",
          "bad form",
          parsed.error.issues.map((i) => String(i.path[0])),
        );
      const r = await updateSystemWork(a, id, { ...parsed.data, steps: stepsOf(form) });
      return { before: r.before, after: r.after };
    },
    "system_work_update",
  );
}

const person = (form: FormData) => ({ by: String(form.get("by") ?? "").slice(0, 1000), at: instant(form.get("at")) });

export async function setLinkControlAction(form: FormData): Promise<void> {
  await change(form, async (a, id) => ({ at: (await setLinkControl(a, id, person(form))).toISOString(), by: person(form).by }), "system_work_link_set");
}

export async function confirmReleaseAction(form: FormData): Promise<void> {
  const kind = form.get("kind") === "test_data_deleted" ? "test_data_deleted" : "tests_ended";
  await change(
    form,
    async (a, id) => ({ kind, at: (await confirmForRelease(a, id, kind, person(form))).toISOString(), by: person(form).by }),
    "system_work_confirm",
  );
}

export async function releaseLinkControlAction(form: FormData): Promise<void> {
  await change(form, async (a, id) => ({ at: (await releaseLinkControl(a, id, person(form))).toISOString(), by: person(form).by }), "system_work_release");
}
