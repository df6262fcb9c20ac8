/**
 * The self-inspection workflow: rounds opened by a prefecture, one assessment
 * per municipality moving draft → submitted → (returned → resubmitted)* →
 * accepted, answers autosaved item by item, evidence files, and the history
 * of every change. Every function takes the acting user, derives its Scope
 * once (`scopeOfActor`) and puts the scope into its queries' `where`, then
 * checks permission; pages, actions and route handlers only translate errors.
 */
import { AuthError, prefectureOf, type Principal } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";

import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { EvidenceError, readBlob, storeEvidence } from "../evidence";
import { readUpload, UploadError } from "../../lib/upload";
import type { AssessmentStatus } from "./rollup";
import { ANSWERS, allItems, loadTemplate, templateForYear, type Answer, type ChecklistTemplate } from "./template";

/** An expected refusal; `code` names a message `checklist.error.<code>` of the catalogue. */
export class ChecklistError extends Error {
  constructor(
    readonly code:
      | "locked"
      | "not_reviewer"
      | "not_editor"
      | "incomplete"
      | "no_review_comment"
      | "bad_item"
      | "bad_answer"
      | "too_long"
      | "file_too_large"
      | "file_type"
      | "file_empty"
      | "round_exists"
      | "not_prefecture"
      | "bad_deadline"
      | "bad_status"
      | "bad_input"
      | "plan_needs_shortfall"
      | "own_answers",
    message: string,
    /** Data for the user's message that needs no translation (item ids, counts); shown after the catalogue text. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

const EDITABLE: AssessmentStatus[] = ["draft", "returned"];
const REVIEWABLE: AssessmentStatus[] = ["submitted", "resubmitted"];
export const MAX_COMMENT = 2000;

// ------------------------------------------------------------------ rounds

/** Reviewers are the prefecture's staff: they open rounds and review their municipalities' answers. */
export async function isReviewer(actor: Principal): Promise<boolean> {
  return (await prefectureOf(actor)) !== undefined;
}

/**
 * Opens the round of a fiscal year for the actor's prefecture: one draft
 * assessment per municipality. With `carryOver`, last year's answers and
 * comments are copied as reference (the answers themselves start empty).
 */
export async function openRound(actor: Principal, input: { fiscalYear: number; deadline: Date; carryOver: boolean }, now = new Date()) {
  const prefecture = await prefectureOf(actor);
  if (!prefecture) throw new ChecklistError("not_prefecture", "only prefecture staff open rounds");
  if (!(input.deadline.getTime() > now.getTime())) throw new ChecklistError("bad_deadline", "the deadline must be in the future");
  const template = templateForYear(input.fiscalYear);
  if (await db().checklistRound.findUnique({ where: { organizationId_fiscalYear: { organizationId: prefecture, fiscalYear: input.fiscalYear } } })) {
    throw new ChecklistError("round_exists", `a round for fiscal year ${input.fiscalYear} already exists`);
  }
  const previous = input.carryOver
    ? await db().checklistRound.findUnique({
        where: { organizationId_fiscalYear: { organizationId: prefecture, fiscalYear: input.fiscalYear - 1 } },
        include: { assessments: { include: { answers: true } } },
      })
    : null;
  const municipalities = await roundOrganizations(prefecture);
  const itemIds = new Set(allItems(template).map((i) => i.id));
  return db().$transaction(async (tx) => {
    const round = await tx.checklistRound.create({
      data: {
        organizationId: prefecture,
        fiscalYear: input.fiscalYear,
        templateVersion: template.version,
        deadline: input.deadline,
        previousRoundId: previous?.id,
        openedById: actor.id,
      },
    });
    for (const m of municipalities) {
      const a = await tx.assessment.create({ data: { roundId: round.id, organizationId: m.id } });
      const last = previous?.assessments.find((p) => p.organizationId === m.id);
      const carried = (last?.answers ?? []).filter((x) => itemIds.has(x.itemId) && (x.answer || x.comment));
      if (carried.length) {
        await tx.assessmentAnswer.createMany({
          data: carried.map((x) => ({ assessmentId: a.id, itemId: x.itemId, previousAnswer: x.answer, previousComment: x.comment })),
        });
      }
      await tx.assessmentHistory.create({
        data: {
          assessmentId: a.id,
          actorId: actor.id,
          actorLogin: actor.login,
          action: "create",
          after: JSON.stringify({ round: round.id, carriedOver: carried.length }),
        },
      });
    }
    return round;
  });
}

/**
 * The organisations a round covers (seed 003: 毎年、全団体が自己点検（県・市町）): the prefecture itself, its
 * municipalities, and its own offices registered as organisations under it (kind `agency`) that hold business
 * terminals. Sorted by code, the prefecture first.
 */
export async function roundOrganizations(prefecture: string) {
  const rows = await db().organization.findMany({
    where: {
      OR: [{ id: prefecture }, { parentId: prefecture, kind: "municipality" }, { parentId: prefecture, kind: "agency", terminals: { some: {} } }],
    },
    orderBy: { id: "asc" },
  });
  return [...rows.filter((o) => o.id === prefecture), ...rows.filter((o) => o.id !== prefecture)];
}

/** Rounds whose assessments the actor may see, newest first, with status counts. */
export async function listRounds(actor: Principal) {
  const scope = await scopeOf(actor);
  const rounds = await db().checklistRound.findMany({
    where: { assessments: { some: scope.where("organizationId") } },
    orderBy: { fiscalYear: "desc" },
    include: {
      assessments: {
        where: scope.where("organizationId"),
        select: { id: true, organizationId: true, status: true, submittedAt: true, acceptedAt: true, updatedAt: true },
      },
    },
  });
  return rounds;
}

/** A round with its assessments in the actor's scope; 403 when none is. */
export async function getRound(actor: Principal, roundId: string) {
  const scope = await scopeOf(actor);
  const round = await db().checklistRound.findFirst({
    where: { id: roundId, assessments: { some: scope.where("organizationId") } },
    include: { assessments: { where: scope.where("organizationId"), include: { answers: true }, orderBy: { organizationId: "asc" } } },
  });
  if (!round || !round.assessments.length) throw new AuthError(403, `checklist round ${roundId} is outside your scope`);
  return { ...round, template: loadTemplate(round.templateVersion) };
}

// -------------------------------------------------------------- assessments

/**
 * An assessment in the actor's scope with everything its page shows; 403
 * otherwise (also for unknown ids). State changes pass `history: false`:
 * they do not need the page's history list.
 */
export async function getAssessment(actor: Principal, assessmentId: string, opts: { history?: boolean } = {}) {
  const scope = await scopeOf(actor);
  const a = await db().assessment.findFirst({
    where: { id: assessmentId, ...scope.where("organizationId") },
    include: {
      round: true,
      answers: true,
      evidence: { where: { removedAt: null }, orderBy: { uploadedAt: "asc" } },
      history: { orderBy: { id: "desc" }, take: opts.history === false ? 0 : 500 },
    },
  });
  if (!a) throw new AuthError(403, `assessment ${assessmentId} is outside your scope`);
  const template = loadTemplate(a.round.templateVersion);
  const prefecture = await prefectureOf(actor);
  const status = a.status as AssessmentStatus;
  const reviewer = REVIEWABLE.includes(status) && prefecture === a.round.organizationId;
  return {
    ...a,
    status,
    template,
    canEdit: EDITABLE.includes(status) && canEditOrg(actor, a.organizationId),
    canReview: reviewer && !(await answeredBy(a.id, actor)),
  };
}

/**
 * Whether the actor answered or submitted the assessment: nobody reviews their own answers (this matters for the
 * prefecture's own assessment, answered and reviewed by prefecture staff).
 */
async function answeredBy(assessmentId: string, actor: Principal): Promise<boolean> {
  const row = await db().assessmentHistory.findFirst({
    where: { assessmentId, actorId: actor.id, action: { in: ["answer", "comment", "submit", "resubmit", "evidence_add"] } },
    select: { id: true },
  });
  return row !== null;
}

const canEditOrg = (actor: Principal, organizationId: string) =>
  actor.organizationId === organizationId && (actor.role === "municipal_officer" || actor.role === "admin");

type Loaded = Awaited<ReturnType<typeof getAssessment>>;

async function forEdit(actor: Principal, assessmentId: string): Promise<Loaded> {
  const a = await getAssessment(actor, assessmentId, { history: false });
  if (!canEditOrg(actor, a.organizationId)) throw new ChecklistError("not_editor", "only the municipality's own officers answer its checklist");
  if (!a.canEdit) throw new ChecklistError("locked", `the assessment is ${a.status} and cannot be changed`);
  return a;
}

async function forReview(actor: Principal, assessmentId: string): Promise<Loaded> {
  const a = await getAssessment(actor, assessmentId, { history: false });
  if ((await prefectureOf(actor)) !== a.round.organizationId) throw new ChecklistError("not_reviewer", "only the prefecture that opened the round reviews it");
  if (REVIEWABLE.includes(a.status) && (await answeredBy(a.id, actor))) throw new ChecklistError("own_answers", "nobody reviews the assessment they answered");
  if (!a.canReview) throw new ChecklistError("bad_status", `the assessment is ${a.status}, not waiting for review`);
  return a;
}

function itemOf(template: ChecklistTemplate, itemId: string) {
  const item = allItems(template).find((i) => i.id === itemId);
  if (!item) throw new ChecklistError("bad_item", `no item ${itemId} in ${template.version}`);
  return item;
}

function history(assessmentId: string, actor: Principal, action: string, itemId: string | null, before: unknown, after: unknown) {
  return db().assessmentHistory.create({
    data: {
      assessmentId,
      actorId: actor.id,
      actorLogin: actor.login,
      action,
      itemId,
      before: before == null ? null : String(before),
      after: after == null ? null : String(after),
    },
  });
}

/**
 * Autosave of one item: the answer and/or the comment (undefined leaves a
 * field as it is, null or "" clears it). Records each changed field.
 */
export async function saveAnswer(actor: Principal, assessmentId: string, itemId: string, change: { answer?: Answer | null; comment?: string | null }) {
  const a = await forEdit(actor, assessmentId);
  const changed = await applyAnswer(actor, a, itemId, change);
  if (changed) await db().assessment.update({ where: { id: assessmentId }, data: { updatedAt: new Date() } });
  return { changed };
}

/** Validates and writes one item's change on an assessment already loaded for editing; true when something changed. */
async function applyAnswer(actor: Principal, a: Loaded, itemId: string, change: { answer?: Answer | null; comment?: string | null }): Promise<boolean> {
  const item = itemOf(a.template, itemId);
  if (change.answer != null && !ANSWERS.includes(change.answer)) throw new ChecklistError("bad_answer", `unknown answer ${change.answer}`);
  if (change.answer === "not_applicable" && !item.allowNotApplicable) throw new ChecklistError("bad_answer", `${itemId} cannot be answered 該当なし`);
  const comment = change.comment === undefined ? undefined : change.comment?.trim() || null;
  if (comment && comment.length > MAX_COMMENT) throw new ChecklistError("too_long", `comment longer than ${MAX_COMMENT} characters`);
  const current = a.answers.find((x) => x.itemId === itemId);
  const data: { answer?: string | null; comment?: string | null; updatedById: string } = { updatedById: actor.id };
  if (change.answer !== undefined && (current?.answer ?? null) !== change.answer) data.answer = change.answer;
  if (comment !== undefined && (current?.comment ?? null) !== comment) data.comment = comment;
  if (data.answer === undefined && data.comment === undefined) return false;
  const assessmentId = a.id;
  await db().assessmentAnswer.upsert({ where: { assessmentId_itemId: { assessmentId, itemId } }, create: { assessmentId, itemId, ...data }, update: data });
  if (data.answer !== undefined) await history(assessmentId, actor, "answer", itemId, current?.answer, data.answer);
  if (data.comment !== undefined) await history(assessmentId, actor, "comment", itemId, current?.comment, data.comment);
  return true;
}

/** Fills every unanswered item that has last year's answer with it (the officer reviews them before submitting). */
export async function adoptPreviousAnswers(actor: Principal, assessmentId: string): Promise<number> {
  // Loaded and checked once for all items, not once per item.
  const a = await forEdit(actor, assessmentId);
  const allowed = new Map(allItems(a.template).map((i) => [i.id, i]));
  let n = 0;
  for (const x of a.answers) {
    if (x.answer || !x.previousAnswer) continue;
    if (x.previousAnswer === "not_applicable" && !allowed.get(x.itemId)?.allowNotApplicable) continue;
    if (await applyAnswer(actor, a, x.itemId, { answer: x.previousAnswer as Answer })) n++;
  }
  if (n) await db().assessment.update({ where: { id: assessmentId }, data: { updatedAt: new Date() } });
  return n;
}

/** draft → submitted, returned → resubmitted; every item must be answered. */
export async function submitAssessment(actor: Principal, assessmentId: string, now = new Date()) {
  const a = await forEdit(actor, assessmentId);
  const answered = new Set(a.answers.filter((x) => x.answer).map((x) => x.itemId));
  const missing = allItems(a.template)
    .filter((i) => !answered.has(i.id))
    .map((i) => i.id);
  if (missing.length)
    throw new ChecklistError(
      "incomplete",
      `${missing.length} items unanswered: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}`,
      `${missing.length}件：${missing.slice(0, 10).join("、")}${missing.length > 10 ? "、…" : ""}`,
    );
  const next: AssessmentStatus = a.status === "returned" ? "resubmitted" : "submitted";
  await transition(a, actor, next, { submittedAt: now });
  return next;
}

/** Sends a submitted assessment back; at least one item must carry a review comment saying what to fix. */
export async function returnAssessment(actor: Principal, assessmentId: string, now = new Date()) {
  const a = await forReview(actor, assessmentId);
  if (!a.answers.some((x) => x.reviewComment)) throw new ChecklistError("no_review_comment", "write a review comment on at least one item before returning");
  await transition(a, actor, "returned", { returnedAt: now });
}

/** Accepts and locks the assessment. */
export async function acceptAssessment(actor: Principal, assessmentId: string, now = new Date()) {
  const a = await forReview(actor, assessmentId);
  await transition(a, actor, "accepted", { acceptedAt: now, acceptedById: actor.id });
}

async function transition(a: Loaded, actor: Principal, to: AssessmentStatus, data: Record<string, unknown>) {
  // Guarded on the status read, so two reviewers clicking at once cannot both move it.
  const r = await db().assessment.updateMany({ where: { id: a.id, status: a.status }, data: { status: to, ...data } });
  if (!r.count) throw new ChecklistError("bad_status", "the assessment changed meanwhile; reload");
  await history(a.id, actor, to === "resubmitted" ? "resubmit" : to === "submitted" ? "submit" : to === "returned" ? "return" : "accept", null, a.status, to);
}

/** The reviewer's comment on one item (empty clears it). */
export async function setReviewComment(actor: Principal, assessmentId: string, itemId: string, text: string) {
  const a = await forReview(actor, assessmentId);
  itemOf(a.template, itemId);
  const value = text.trim() || null;
  if (value && value.length > MAX_COMMENT) throw new ChecklistError("too_long", `comment longer than ${MAX_COMMENT} characters`);
  const current = a.answers.find((x) => x.itemId === itemId);
  if ((current?.reviewComment ?? null) === value) return;
  await db().assessmentAnswer.upsert({
    where: { assessmentId_itemId: { assessmentId, itemId } },
    create: { assessmentId, itemId, reviewComment: value },
    update: { reviewComment: value },
  });
  await history(assessmentId, actor, "review_comment", itemId, current?.reviewComment, value);
}

// ----------------------------------------------------------------- evidence

/** Stores a file for one item: type by extension and content, size limit, SHA-256 recorded. */
export async function addEvidence(actor: Principal, assessmentId: string, itemId: string, file: { name: string; bytes: Buffer }) {
  return attachEvidence(actor, await forEdit(actor, assessmentId), itemId, file);
}

async function attachEvidence(actor: Principal, a: Loaded, itemId: string, file: { name: string; bytes: Buffer }) {
  itemOf(a.template, itemId);
  let stored: ReturnType<typeof storeEvidence>;
  try {
    stored = storeEvidence(file);
  } catch (e) {
    if (e instanceof EvidenceError) throw new ChecklistError(e.code, e.message);
    throw e;
  }
  const row = await db().assessmentEvidence.create({ data: { assessmentId: a.id, itemId, ...stored, uploadedById: actor.id } });
  await history(a.id, actor, "evidence_add", itemId, null, `${stored.fileName} (${stored.sha256})`);
  return row;
}

/**
 * An evidence upload as it arrives (multipart: itemId, file): permission is
 * checked first, before a byte of the body is read; then the declared length
 * and, while the body streams, the file's size are held to EVIDENCE_MAX_BYTES
 * (lib/upload.ts). The route handler is a thin wrapper around this.
 */
export async function receiveEvidenceUpload(actor: Principal, assessmentId: string, req: Request) {
  const a = await forEdit(actor, assessmentId);
  let upload;
  try {
    upload = await readUpload(req, config().EVIDENCE_MAX_BYTES);
  } catch (e) {
    if (e instanceof UploadError) throw new ChecklistError(e.code === "bad_request" ? "file_empty" : e.code, e.message);
    throw e;
  }
  const itemId = upload.fields.itemId ?? "";
  return { itemId, evidence: await attachEvidence(actor, a, itemId, upload.file!) };
}

export async function removeEvidence(actor: Principal, evidenceId: string) {
  const scope = await scopeOf(actor);
  const ev = await db().assessmentEvidence.findFirst({ where: { id: evidenceId, assessment: scope.where("organizationId") } });
  if (!ev) throw new AuthError(403, `evidence ${evidenceId} is outside your scope`);
  if (ev.removedAt) throw new AuthError(404, `evidence ${evidenceId} was removed`);
  await forEdit(actor, ev.assessmentId);
  await db().assessmentEvidence.update({ where: { id: evidenceId }, data: { removedAt: new Date(), removedById: actor.id } });
  await history(ev.assessmentId, actor, "evidence_remove", ev.itemId, `${ev.fileName} (${ev.sha256})`, null);
  return ev;
}

/**
 * An evidence file for someone whose scope covers its assessment (403
 * otherwise); a removed file is gone (404). The stored hash is re-checked.
 */
export async function readEvidence(actor: Principal, evidenceId: string) {
  const scope = await scopeOf(actor);
  const ev = await db().assessmentEvidence.findFirst({ where: { id: evidenceId, assessment: scope.where("organizationId") } });
  if (!ev) throw new AuthError(403, `evidence ${evidenceId} is outside your scope`);
  if (ev.removedAt) throw new AuthError(404, `evidence ${evidenceId} was removed`);
  return { ...ev, bytes: readBlob(ev.sha256) };
}
