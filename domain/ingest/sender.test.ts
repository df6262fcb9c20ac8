import { describe, expect, it } from "vitest";
import { senderMismatch, type Sender } from "./sender";

const city: Sender = { id: "CS-352012", type: "municipal_cs", organizationId: "352012", organizations: new Set(["352012"]) };
const prefecture: Sender = { id: "PS-350001", type: "prefectural_server", organizationId: "350001", organizations: new Set(["350001", "352012", "352039"]) };
const event = (observer: string, type: string, org: string) => ({ observer: { id: observer, type }, organization: { id: org } });

describe("events bound to the sending node", () => {
  it("accepts a node's own organisation, and a prefectural server's subtree", () => {
    expect(senderMismatch(city, event("CS-352012", "municipal_cs", "352012"))).toBeUndefined();
    expect(senderMismatch(prefecture, event("PS-350001", "prefectural_server", "350001"))).toBeUndefined();
    expect(senderMismatch(prefecture, event("PS-350001", "prefectural_server", "352039"))).toBeUndefined();
  });

  it("names observer.id, observer.type or organization.id when they do not match", () => {
    expect(senderMismatch(city, event("CS-352039", "municipal_cs", "352039"))).toBe('observer.id "CS-352039" is not the sending node "CS-352012"');
    expect(senderMismatch(city, event("CS-352012", "prefectural_server", "352012"))).toBe(
      'observer.type "prefectural_server" is not the registered type "municipal_cs" of node "CS-352012"',
    );
    expect(senderMismatch(city, event("CS-352012", "municipal_cs", "352039"))).toBe(
      'organization.id "352039" is not the organisation "352012" of node "CS-352012"',
    );
    expect(senderMismatch(prefecture, event("PS-350001", "prefectural_server", "000001"))).toBe(
      'organization.id "000001" is neither the organisation "350001" of node "PS-350001" nor one below it',
    );
  });
});
