import { describe, expect, it } from "vitest";
import { assignedPurposes, inPurposeSet, requiredAuthMethod, type RegistrySnapshot } from "./registry";

const hours = { start: "08:30", end: "17:15" };
const registry = {
  organizations: new Map([
    ["350001", { id: "350001", name: "山口県", kind: "prefecture", parentId: null, hours, requiredAuthMethod: "ic_card_biometric" }],
    ["352039", { id: "352039", name: "山口市", kind: "municipality", parentId: "350001", hours, requiredAuthMethod: null }],
  ]),
  operators: new Map([
    ["A", { id: "A", organizationId: "350001", kind: "person", department: "税務課", cards: [], purposes: null, requiredAuthMethod: null }],
    [
      "B",
      {
        id: "B",
        organizationId: "350001",
        kind: "person",
        department: "税務課",
        cards: [],
        purposes: [{ schedule: "5", items: ["5-3"] }],
        requiredAuthMethod: "biometric",
      },
    ],
    ["C", { id: "C", organizationId: "352039", kind: "person", department: "市民課", cards: [], purposes: null, requiredAuthMethod: "biometric" }],
    ["D", { id: "D", organizationId: "352039", kind: "person", department: null, cards: [], purposes: null, requiredAuthMethod: null }],
  ]),
  departmentPurposes: new Map([["350001\u0000税務課", [{ schedule: "5", items: ["5-1"] }]]]),
} as unknown as RegistrySnapshot;

describe("authority of an operator", () => {
  it("is the operator's own purposes, else its department's, else everything the organisation may use (null)", () => {
    expect(assignedPurposes(registry, "A")).toEqual({ from: "department", purposes: [{ schedule: "5", items: ["5-1"] }] });
    expect(assignedPurposes(registry, "B")).toEqual({ from: "operator", purposes: [{ schedule: "5", items: ["5-3"] }] });
    expect(assignedPurposes(registry, "D")).toBeNull();
  });
  it("reads '*' as every item of the schedule", () => {
    expect(inPurposeSet([{ schedule: "jukiho", items: ["*"] }], "jukiho", "jukiho-7")).toBe(true);
    expect(inPurposeSet([{ schedule: "5", items: ["5-1"] }], "5", "5-3")).toBe(false);
    expect(inPurposeSet([{ schedule: "5", items: ["5-1"] }], "ordinance", "5-1")).toBe(false);
  });
});

describe("required authentication method", () => {
  it("is the stronger of the operator's and the organisation's, none when neither requires one", () => {
    expect(requiredAuthMethod(registry, "A", "350001")).toBe("ic_card_biometric");
    expect(requiredAuthMethod(registry, "B", "350001")).toBe("ic_card_biometric");
    expect(requiredAuthMethod(registry, "C", "352039")).toBe("biometric");
    expect(requiredAuthMethod(registry, "D", "352039")).toBeNull();
  });
});
