import { beforeAll, describe, expect, it } from "vitest";
import { residentRef, residentRefs, resetPseudonymKey } from "./pseudonym";
import { eventQuery, subjectReferences } from "../events/explorer";

const CURRENT = "11".repeat(32);
const PREVIOUS = "22".repeat(32);

beforeAll(() => {
  process.env.PSEUDONYM_KEY = CURRENT;
  process.env.PSEUDONYM_KEY_PREVIOUS = PREVIOUS;
  resetPseudonymKey();
});

describe("pseudonymisation key rotation", () => {
  it("stores with the current key and looks a code up under every key kept", () => {
    const refs = residentRefs("12345678901");
    expect(refs).toHaveLength(2);
    expect(refs[0]).toBe(residentRef("12345678901"));
    expect(refs[1]).not.toBe(refs[0]);
    expect(refs.every((r) => /^[0-9a-f]{32}$/.test(r))).toBe(true);
  });

  it("the explorer searches a typed code by all its references, and never by the code", () => {
    const refs = subjectReferences("12345678901");
    expect(refs).toEqual(residentRefs("12345678901"));
    const q = JSON.stringify(eventQuery({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", subject: "12345678901" }));
    expect(q).not.toContain("12345678901");
    expect(q).toContain(refs[0]);
    expect(q).toContain(refs[1]);
    // References travel comma-separated; anything else is not a reference and matches nothing.
    expect(subjectReferences(refs.join(","))).toEqual(refs);
    expect(subjectReferences("not-a-ref")).toEqual([]);
  });
});
