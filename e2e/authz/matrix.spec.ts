/**
 * Authorization matrix (issue 10, acceptance): every route handler, page and
 * server action found in the source tree, called by anonymous, each role, a
 * municipal admin, an auditor in and out of its access period, a read API
 * token and a node token, against its own organisation and another one.
 *
 * A leak is a refusal the policy expects that the console did not give
 * (including a state change that happened, or foreign rows in a list). A
 * "wrongly refused" check is an allowed call the console refused; an error is
 * a 5xx or a request the console could not parse. All three fail the test;
 * the line `authorization matrix: N checks, L leaks` is printed either way.
 */
import { expect, test } from "@playwright/test";
import { REPO_ROOT } from "../../lib/paths";
import { discover, type Surface } from "./discover";
import { MATRIX, type Target } from "./matrix";
import { CALLERS, requestContexts, send, world, type Caller, type Outcome } from "./world";

interface Result {
  surface: string;
  caller: string;
  target: string;
  expected: Outcome;
  actual: Outcome;
  why: string;
}

test("authorization matrix: no route, page or action lets a caller past its scope", async ({ browser }) => {
  test.setTimeout(15 * 60_000);
  const { surfaces, problems } = discover(REPO_ROOT);
  const missing = surfaces.filter((s) => !MATRIX[s.key]).map((s) => s.key);
  const stale = Object.keys(MATRIX).filter((k) => !surfaces.some((s) => s.key === k));
  const w = await world();
  const contexts = await requestContexts(browser, w);

  // Routes and actions first, pages last: the list pages' content checks then see the rows the other checks wrote.
  const order = (s: Surface) => (s.kind === "page" ? 1 : 0);
  const queue = surfaces.filter((s) => MATRIX[s.key]).sort((a, b) => order(a) - order(b));
  const results: Result[] = [];
  let n = 0;

  async function check(s: Surface, t: Target, c: Caller) {
    const entry = MATRIX[s.key];
    const id = ++n;
    const expected: Outcome = (t.allow ?? entry.allow)(c, t) ? "allow" : "deny";
    let actual: Outcome;
    let why: string;
    try {
      const prepared = (await t.setup?.(w, id)) ?? {};
      const call = t.call(w, c, id, prepared);
      const page = entry.page?.(w) ?? (s.actionPage ?? "/").replace(/\[[^\]]+\]/g, "0");
      let answer = await send(contexts[c.key], call, s.actionId ? { id: s.actionId, page } : undefined);
      // A read that failed with a 5xx is asked once more (the console's SQLite audit-trail write can time out on a
      // loaded machine: P1008); a second 5xx is reported as an error. State changes are never repeated.
      if (answer.outcome === "error" && answer.status >= 500 && "method" in call && call.method === "GET" && !t.setup && !t.effect) {
        answer = await send(contexts[c.key], call);
      }
      why = answer.why;
      if (t.effect) {
        const changed = await t.effect(w, c, id, prepared);
        actual = changed ? "allow" : answer.outcome === "error" ? "error" : "deny";
        why = `${changed ? "changed" : "unchanged"}; ${why}`;
      } else {
        actual =
          t.judge && (answer.outcome === "allow" || (t.judgeAll && answer.outcome === "deny")) ? (t.judge(answer, c, w) ?? answer.outcome) : answer.outcome;
      }
    } catch (e) {
      actual = "error";
      why = `the check itself failed: ${(e as Error).message.split("\n")[0]}`;
    }
    results.push({ surface: s.key, caller: c.key, target: t.name, expected, actual, why });
  }

  // One check at a time: a side-effect probe must not see another check's change, and parallel requests make the
  // console's SQLite audit-trail writes time out on a 2-core machine (P1008 → 500).
  for (const s of queue) for (const t of MATRIX[s.key].targets) for (const c of CALLERS) await check(s, t, c);

  const leaks = results.filter((r) => r.expected === "deny" && r.actual === "allow");
  const wrong = results.filter((r) => r.expected === "allow" && r.actual === "deny");
  const errors = results.filter((r) => r.actual === "error");
  const line = (r: Result) => `  ${r.surface} — ${r.caller} → ${r.target}: ${r.why}`;
  const report = [
    ...(missing.length ? ["missing from matrix:", ...missing.map((k) => `  ${k}`)] : []),
    ...(stale.length ? ["in the matrix but not in the source tree:", ...stale.map((k) => `  ${k}`)] : []),
    ...(problems.length ? ["discovery problems:", ...problems.map((p) => `  ${p}`)] : []),
    ...(leaks.length ? [`LEAKS (${leaks.length}):`, ...leaks.map(line)] : []),
    ...(wrong.length ? [`wrongly refused (${wrong.length}):`, ...wrong.map(line)] : []),
    ...(errors.length ? [`errors (${errors.length}):`, ...errors.map(line)] : []),
    `surfaces: ${surfaces.length} (${surfaces.filter((s) => s.kind === "route").length} route methods, ${surfaces.filter((s) => s.kind === "page").length} pages, ${surfaces.filter((s) => s.kind === "action").length} server actions); callers: ${CALLERS.length}`,
    `authorization matrix: ${results.length} checks, ${leaks.length} leaks`,
  ].join("\n");
  console.log(report);
  await test.info().attach("authz-matrix.txt", {
    body: report + "\n\nall checks:\n" + results.map((r) => `${r.expected}\t${r.actual}\t${r.surface}\t${r.caller}\t${r.target}\t${r.why}`).join("\n"),
    contentType: "text/plain",
  });

  expect.soft(missing, "missing from matrix").toEqual([]);
  expect.soft(stale, "matrix entries with no route, page or action behind them").toEqual([]);
  expect.soft(problems, "discovery problems").toEqual([]);
  expect.soft(wrong.map(line), "wrongly refused").toEqual([]);
  expect.soft(errors.map(line), "errors").toEqual([]);
  expect(leaks.length, "leaks").toBe(0);
});
