/**
 * Self-inspection workflow against the real SQLite database and Elasticsearch:
 * rounds and carry-over, autosave, submit/return/resubmit/accept with locking,
 * evidence limits and hashes, scope, history, and the log suggestions.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { scopeOf } from "../../lib/auth/scope";
import { config } from "../../lib/config";
import { createUser } from "../../lib/auth/accounts";
import { db } from "../../lib/db";
import { seedChecklistRound } from "../../scripts/demo/checklist";
import { assessmentDocument, roundSummary } from "../../domain/checklist/documents";
import { evidencePath } from "../../domain/evidence";
import { suggestionsFor } from "../../domain/checklist/suggestions";
import { allItems, loadTemplate } from "../../domain/checklist/template";
import {
  acceptAssessment,
  addEvidence,
  adoptPreviousAnswers,
  ChecklistError,
  getAssessment,
  openRound,
  readEvidence,
  receiveEvidenceUpload,
  removeEvidence,
  returnAssessment,
  saveAnswer,
  setReviewComment,
  submitAssessment,
} from "../../domain/checklist/workflow";
import { at, ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";
import { streamingUpload } from "./upload-stream";

const PASSWORD = "checklist integration password";
let monitor: Principal, officer: Principal, otherOfficer: Principal, cityAdmin: Principal, auditor: Principal;
const FY = 2026;
const T26 = loadTemplate("fy2026");
const T25 = loadTemplate("fy2025");

async function user(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: PASSWORD });
  return { kind: "user" as const, id: u.id, login: u.loginId, role, organizationId };
}

const refused = async (p: Promise<unknown>, code: string) => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(ChecklistError);
  expect((e as ChecklistError).code).toBe(code);
};
const forbidden = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).status).toBe(403);
};

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

beforeAll(async () => {
  await useFixtureRegistry();
  monitor = await user("cl-monitor", "monitor", PREF);
  officer = await user("cl-shimonoseki", "municipal_officer", SHIMONOSEKI);
  otherOfficer = await user("cl-yamaguchi", "municipal_officer", YAMAGUCHI);
  cityAdmin = await user("cl-shimonoseki-admin", "admin", SHIMONOSEKI);
  auditor = await user("cl-auditor", "auditor", PREF);
  // Last year's round, all accepted, so this year's can carry its answers over.
  await seedChecklistRound({
    prefectureId: PREF,
    fiscalYear: FY - 1,
    template: T25,
    openedAt: new Date("2025-10-01T00:00:00+09:00"),
    deadline: new Date("2026-01-30T00:00:00+09:00"),
    states: { [SHIMONOSEKI]: "accepted", [YAMAGUCHI]: "accepted", [WAKI]: "accepted" },
    actor: { id: officer.id, login: officer.login },
    reviewer: { id: monitor.id, login: monitor.login },
  });
});

describe("checklist workflow", () => {
  let roundId: string;
  let mine: string; // 下関市's assessment
  let theirs: string; // 山口市's

  it("only prefecture staff open a round; each municipality gets a draft with last year's answers as reference", async () => {
    await refused(openRound(officer, { fiscalYear: FY, deadline: new Date(Date.now() + 30 * 86_400_000), carryOver: true }), "not_prefecture");
    await refused(openRound(cityAdmin, { fiscalYear: FY, deadline: new Date(Date.now() + 30 * 86_400_000), carryOver: true }), "not_prefecture");
    await refused(openRound(monitor, { fiscalYear: FY, deadline: new Date(Date.now() - 1000), carryOver: true }), "bad_deadline");
    const round = await openRound(monitor, { fiscalYear: FY, deadline: new Date(Date.now() + 30 * 86_400_000), carryOver: true });
    roundId = round.id;
    expect(round.templateVersion).toBe("fy2026");
    await refused(openRound(monitor, { fiscalYear: FY, deadline: new Date(Date.now() + 30 * 86_400_000), carryOver: true }), "round_exists");
    const assessments = await db().assessment.findMany({ where: { roundId }, include: { answers: true } });
    // Every organisation (issue 18): the prefecture's own assessment too.
    expect(assessments.map((a) => a.organizationId).sort()).toEqual([PREF, SHIMONOSEKI, YAMAGUCHI, WAKI].sort());
    mine = assessments.find((a) => a.organizationId === SHIMONOSEKI)!.id;
    theirs = assessments.find((a) => a.organizationId === YAMAGUCHI)!.id;
    const a = assessments.find((x) => x.id === mine)!;
    expect(a.status).toBe("draft");
    // Every fy2025 item that is still in fy2026 carries last year's answer as reference; none is answered yet.
    const kept = allItems(T25).filter((i) => allItems(T26).some((j) => j.id === i.id)).length;
    expect(a.answers.length).toBe(kept);
    expect(a.answers.every((x) => x.answer === null && x.previousAnswer !== null)).toBe(true);
  });

  it("autosaves partial answers item by item and records who changed what", async () => {
    expect((await saveAnswer(officer, mine, "ORG-01", { answer: "partial", comment: "体制図を更新中" })).changed).toBe(true);
    expect((await saveAnswer(officer, mine, "ORG-01", { answer: "partial" })).changed).toBe(false);
    await saveAnswer(officer, mine, "ORG-02", { answer: "implemented" });
    await refused(saveAnswer(officer, mine, "XXX-01", { answer: "implemented" }), "bad_item");
    const noNa = allItems(T26).find((i) => !i.allowNotApplicable)!;
    await refused(saveAnswer(officer, mine, noNa.id, { answer: "not_applicable" }), "bad_answer");
    await refused(saveAnswer(officer, mine, "ORG-03", { comment: "あ".repeat(2001) }), "too_long");
    // Another municipality's officer, and prefecture staff, cannot answer it.
    await forbidden(saveAnswer(otherOfficer, mine, "ORG-03", { answer: "implemented" }));
    await refused(saveAnswer(monitor, mine, "ORG-03", { answer: "implemented" }), "not_editor");
    const a = await getAssessment(officer, mine);
    expect(a.answers.find((x) => x.itemId === "ORG-01")).toMatchObject({ answer: "partial", comment: "体制図を更新中" });
    const h = a.history.filter((x) => x.itemId === "ORG-01").map((x) => [x.actorLogin, x.action, x.after]);
    expect(h).toEqual(
      expect.arrayContaining([
        ["cl-shimonoseki", "answer", "partial"],
        ["cl-shimonoseki", "comment", "体制図を更新中"],
      ]),
    );
  });

  it("stores evidence by SHA-256 within size and type limits, readable only in scope", async () => {
    const ev1 = await addEvidence(officer, mine, "ORG-01", { name: "体制図.pdf", bytes: PDF });
    expect(ev1.sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
    expect(fs.readFileSync(evidencePath(ev1.sha256))).toEqual(PDF);
    await refused(addEvidence(officer, mine, "ORG-01", { name: "script.exe", bytes: Buffer.from("MZ") }), "file_type");
    await refused(addEvidence(officer, mine, "ORG-01", { name: "fake.pdf", bytes: Buffer.from("not a pdf") }), "file_type");
    await refused(addEvidence(officer, mine, "ORG-01", { name: "empty.txt", bytes: Buffer.alloc(0) }), "file_empty");
    await refused(addEvidence(officer, mine, "ORG-01", { name: "big.pdf", bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) }), "file_too_large");
    expect((await readEvidence(monitor, ev1.id)).bytes).toEqual(PDF);
    expect((await readEvidence(cityAdmin, ev1.id)).fileName).toBe("体制図.pdf");
    await forbidden(readEvidence(otherOfficer, ev1.id));
    await forbidden(getAssessment(otherOfficer, mine));
    await forbidden(assessmentDocument(otherOfficer, mine));
    // An auditor without an engagement in its access period sees nothing.
    await forbidden(getAssessment(auditor, mine));
    const extra = await addEvidence(officer, mine, "ORG-02", { name: "memo.txt", bytes: Buffer.from("点検メモ") });
    expect((await readEvidence(officer, extra.id)).fileName).toBe("memo.txt");
    await removeEvidence(officer, extra.id);
    expect((await getAssessment(officer, mine)).evidence.map((e) => e.fileName)).toEqual(["体制図.pdf"]);
    // Removed evidence is gone: no download for anyone, the owner included (404), and no second removal.
    for (const who of [officer, monitor, cityAdmin]) {
      const e = await readEvidence(who, extra.id).then(
        () => undefined,
        (x) => x,
      );
      expect(e).toBeInstanceOf(AuthError);
      expect((e as AuthError).status).toBe(404);
    }
    await forbidden(readEvidence(otherOfficer, extra.id)); // outside the scope it stays 403 (no existence leak)
  });

  it("streams uploads: permission before the body, the size limit while it streams, never the whole body", async () => {
    const url = `http://localhost/api/checklist/assessments/${mine}/evidence`;
    const MiB = 1024 * 1024;
    const limit = config().EVIDENCE_MAX_BYTES;
    // 64 MiB with no Content-Length: refused as too large after reading little more than the limit.
    const big = streamingUpload(url, { fileBytes: 64 * MiB, fields: { itemId: "ORG-03" } });
    await refused(receiveEvidenceUpload(officer, mine, big.request), "file_too_large");
    expect(big.pulled()).toBeGreaterThan(limit); // it did read up to the limit…
    expect(big.pulled()).toBeLessThan(limit + MiB); // …and stopped there
    // A caller outside the scope is refused before a byte of the body is pulled.
    const foreign = streamingUpload(url, { fileBytes: 64 * MiB, fields: { itemId: "ORG-03" } });
    await forbidden(receiveEvidenceUpload(otherOfficer, mine, foreign.request));
    expect(foreign.pulled()).toBe(0);
    // A declared Content-Length over the limit is refused at once, unread.
    const declared = streamingUpload(url, { fileBytes: 64 * MiB, fields: { itemId: "ORG-03" }, declaredLength: 64 * MiB });
    expect(declared.request.headers.get("content-length")).toBe(String(64 * MiB));
    await refused(receiveEvidenceUpload(officer, mine, declared.request), "file_too_large");
    expect(declared.pulled()).toBe(0);
    // Within the limit the file is stored with its hash.
    const small = streamingUpload(url, { fileBytes: 100 * 1024, fileName: "ログ確認記録.pdf", fields: { itemId: "ORG-03" } });
    const { itemId, evidence } = await receiveEvidenceUpload(officer, mine, small.request);
    expect(itemId).toBe("ORG-03");
    expect(evidence.fileName).toBe("ログ確認記録.pdf");
    expect(evidence.size).toBe(100 * 1024 + "%PDF-1.4\n".length);
    expect(fs.statSync(evidencePath(evidence.sha256)).size).toBe(evidence.size);
    await removeEvidence(officer, evidence.id);
  });

  it("refuses to submit with unanswered items; last year's answers can be adopted, new items answered by hand", async () => {
    await refused(submitAssessment(officer, mine), "incomplete");
    // The user reads the catalogue text and this detail: Japanese and ids only, never the English developer message.
    const e = (await submitAssessment(officer, mine).catch((x) => x)) as ChecklistError;
    expect(e.detail).toMatch(/^\d+件：[A-Z]{3}-\d{2}(、[A-Z]{3}-\d{2})*(、…)?$/);
    const adopted = await adoptPreviousAnswers(officer, mine);
    expect(adopted).toBeGreaterThan(50);
    const a = await getAssessment(officer, mine);
    const unanswered = allItems(T26).filter((i) => !a.answers.find((x) => x.itemId === i.id)?.answer);
    // Only the items added in fy2026 (no answer last year) are left.
    expect(unanswered.map((i) => i.id).sort()).toEqual([...(T26.changes?.added ?? [])].sort());
    for (const i of unanswered) await saveAnswer(officer, mine, i.id, { answer: "implemented" });
    expect(await submitAssessment(officer, mine)).toBe("submitted");
    await refused(saveAnswer(officer, mine, "ORG-01", { answer: "implemented" }), "locked");
    await refused(addEvidence(officer, mine, "ORG-01", { name: "more.pdf", bytes: PDF }), "locked");
  });

  it("the prefecture returns with a comment on an item, the officer corrects and resubmits, the prefecture accepts and it locks", async () => {
    await forbidden(setReviewComment(otherOfficer, mine, "ORG-01", "x"));
    await refused(returnAssessment(monitor, mine), "no_review_comment");
    await setReviewComment(monitor, mine, "ORG-01", "体制図の更新完了日を記入してください。");
    await refused(returnAssessment(cityAdmin, mine), "not_reviewer");
    await returnAssessment(monitor, mine);
    expect((await getAssessment(officer, mine)).status).toBe("returned");
    await saveAnswer(officer, mine, "ORG-01", { answer: "implemented", comment: "令和8年10月に体制図を更新済み" });
    expect(await submitAssessment(officer, mine)).toBe("resubmitted");
    await acceptAssessment(monitor, mine);
    const a = await getAssessment(officer, mine);
    expect(a).toMatchObject({ status: "accepted", canEdit: false, canReview: false });
    expect(a.acceptedAt).toBeInstanceOf(Date);
    await refused(saveAnswer(officer, mine, "ORG-01", { answer: "partial" }), "locked");
    await refused(acceptAssessment(monitor, mine), "bad_status");
    await refused(returnAssessment(monitor, mine), "bad_status");
    const actions = a.history.map((h) => h.action).reverse();
    expect(actions.filter((x) => ["create", "submit", "return", "resubmit", "accept"].includes(x))).toEqual([
      "create",
      "submit",
      "return",
      "resubmit",
      "accept",
    ]);
  });

  it("the exported document carries the answers, review comments and evidence; the roll-up counts the round in scope", async () => {
    const doc = await assessmentDocument(monitor, mine);
    expect(doc).toMatchObject({ organization: { id: SHIMONOSEKI, name: "下関市" }, prefectureName: "山口県", fiscalYear: FY, status: "accepted" });
    expect(doc.answers["ORG-01"]).toMatchObject({
      answer: "implemented",
      reviewComment: "体制図の更新完了日を記入してください。",
      evidence: [{ fileName: "体制図.pdf" }],
    });
    const s = await roundSummary(monitor, roundId);
    // Every organisation of the round: the prefecture's own assessment and its three municipalities'.
    expect(s.rollup.total).toBe(4);
    expect(s.rollup.progress.accepted).toBe(1);
    expect(s.rollup.progress.not_started).toBe(3);
    // Only the accepted one is finished; the three not started are in progress.
    expect([s.rollup.finished, s.rollup.inProgress]).toEqual([1, 3]);
    const m = s.rollup.municipalities.find((x) => x.organizationId === SHIMONOSEKI)!;
    expect(m.answered).toBe(allItems(T26).length);
    expect(m.previousScore).not.toBeNull();
    // A municipal officer's view of the round holds only their own municipality.
    const own = await roundSummary(otherOfficer, roundId);
    expect(own.rollup.municipalities.map((x) => x.organizationId)).toEqual([YAMAGUCHI]);
    expect(theirs).toBeTruthy();
  });
});

describe("suggestions from the logs", () => {
  it("counts the municipality's events and alerts over its fiscal year, with links", async () => {
    // FY2019 (2019-04-01 .. 2020-03-31 JST) is used by no other test.
    await ingest([
      ev({ t: at("2019-06-03", "10:00"), org: WAKI, action: "auth_failure" }),
      ev({ t: at("2019-06-03", "10:01"), org: WAKI, action: "auth_failure" }),
      ev({ t: at("2019-06-03", "10:02"), org: WAKI, action: "card_locked" }),
      ev({ t: at("2019-06-04", "09:00"), org: WAKI, action: "login", method: "ic_card_biometric" }),
      ev({ t: at("2019-06-04", "09:05"), org: WAKI, action: "login" }),
      // After hours: 22:00 on a weekday, and a Sunday; the 10:00 search is not.
      ev({ t: at("2019-06-04", "22:00"), org: WAKI, user: `OP-${WAKI}-001` }),
      ev({ t: at("2019-06-09", "11:00"), org: WAKI, user: `OP-${WAKI}-001` }),
      ev({ t: at("2019-06-05", "10:00"), org: WAKI, user: `OP-${WAKI}-001` }),
      ev({ t: at("2019-07-01", "10:00"), org: WAKI, action: "provide" }),
      // Outside the fiscal year and another municipality: not counted.
      ev({ t: at("2019-03-29", "10:00"), org: WAKI, action: "card_locked" }),
      ev({ t: at("2019-06-03", "10:00"), org: YAMAGUCHI, action: "card_locked" }),
    ]);
    const staff = await scopeOf({ kind: "user", id: monitor.id, login: String(monitor.id), role: "monitor", organizationId: PREF });
    const s = await suggestionsFor(staff, WAKI, 2019);
    // Another municipality's officer cannot ask for 和木町's figures.
    await forbidden(
      suggestionsFor(
        await scopeOf({ kind: "user", id: otherOfficer.id, login: String(otherOfficer.id), role: "municipal_officer", organizationId: YAMAGUCHI }),
        WAKI,
        2019,
      ),
    );
    expect(s.from).toBe("2019-03-31T15:00:00.000Z");
    expect(s.to).toBe("2020-03-31T15:00:00.000Z");
    expect(s.signals.auth_failures?.value).toBe(2);
    expect(s.signals.card_locks?.value).toBe(1);
    expect(s.signals.biometric_logins).toMatchObject({ value: 1, of: 2 });
    expect(s.signals.after_hours_operations?.value).toBe(2);
    expect(s.signals.provisions?.value).toBe(1);
    expect(s.signals.card_locks?.href).toContain(`organization=${WAKI}`);
    expect(s.signals.card_locks?.href).toContain("action=card_locked");
  });
});
