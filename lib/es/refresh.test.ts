import { beforeEach, describe, expect, it, vi } from "vitest";

// A fake client whose refreshes finish when the test says so: the sharing of refreshes is about ordering, not time.
const calls: { index: string; done: () => void; fail: (e: Error) => void }[] = [];
vi.mock("./client", () => ({
  es: () => ({
    indices: {
      refresh: ({ index }: { index: string }) =>
        new Promise<void>((done, fail) => {
          calls.push({ index, done, fail });
        }),
    },
  }),
}));

const { refreshIndices } = await import("./indices");
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  calls.length = 0;
});

describe("refreshIndices", () => {
  it("refreshes the given indices in one call, and nothing when none were written", async () => {
    await refreshIndices([]);
    expect(calls).toHaveLength(0);
    const p = refreshIndices(["a-2026.11", "a-2026.10", "a-2026.11"]);
    expect(calls.map((c) => c.index)).toEqual(["a-2026.11,a-2026.10"]);
    calls[0].done();
    await p;
  });

  it("makes callers that arrive during a refresh share one next refresh, started after the running one", async () => {
    let first = false,
      second = false,
      third = false;
    const p1 = refreshIndices(["x"]).then(() => (first = true));
    const p2 = refreshIndices(["y"]).then(() => (second = true));
    const p3 = refreshIndices(["x", "z"]).then(() => (third = true));
    await settle();
    // The running refresh may have started before the later callers' writes ended: they wait for the next one.
    expect(calls.map((c) => c.index)).toEqual(["x"]);
    calls[0].done();
    await p1;
    await settle();
    expect([first, second, third]).toEqual([true, false, false]);
    expect(calls.map((c) => c.index)).toEqual(["x", "y,x,z"]);
    calls[1].done();
    await Promise.all([p2, p3]);
    expect(calls).toHaveLength(2);
  });

  it("reports a failed refresh to the callers that waited for it, and starts afresh after it", async () => {
    const p1 = refreshIndices(["x"]);
    const p2 = refreshIndices(["y"]);
    calls[0].fail(new Error("busy"));
    await expect(p1).rejects.toThrow("busy");
    await settle();
    calls[1].fail(new Error("down"));
    await expect(p2).rejects.toThrow("down");
    await settle();
    const p3 = refreshIndices(["z"]);
    expect(calls.map((c) => c.index)).toEqual(["x", "y", "z"]);
    calls[2].done();
    await p3;
  });
});
