import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULER_OPTIONS as O, nextWindow } from "./scheduler";

const t = (s: string) => new Date(`2026-11-24T${s}:00+09:00`);

describe("scheduler windows", () => {
  it("starts a rule without checkpoint over the initial look-back, ending before the ingest delay", () => {
    const w = nextWindow(undefined, t("12:00"), O);
    expect(w.to).toEqual(t("11:58"));
    expect(w.to.getTime() - w.from.getTime()).toBe(24 * 3600_000);
    expect(w.gap).toBeUndefined();
  });

  it("resumes from the checkpoint minus the overlap, so nothing is skipped after a restart", () => {
    const w = nextWindow(t("11:53"), t("12:00"), O);
    expect(w.from).toEqual(t("11:43"));
    expect(w.to).toEqual(t("11:58"));
  });

  it("records a gap instead of an unbounded catch-up", () => {
    const now = t("12:00");
    const covered = new Date(now.getTime() - 10 * 24 * 3600_000);
    const w = nextWindow(covered, now, O);
    expect(w.gap?.from).toEqual(covered);
    expect(w.to.getTime() - w.from.getTime()).toBe(7 * 24 * 3600_000);
    expect(w.gap?.to).toEqual(w.from);
  });
});
