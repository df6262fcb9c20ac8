import { describe, expect, it } from "vitest";
import { PERSON_ACTIONS, EVENT_ACTIONS } from "../ingest/event";
import { isSystemActivity, SYSTEM_CAPABLE_ACTIONS } from "./system";

describe("system activity", () => {
  it("is a system-capable action without an operator", () => {
    expect(isSystemActivity({ action: "update" })).toBe(true);
    expect(isSystemActivity({ action: "batch_provide", operator: null })).toBe(true);
    expect(isSystemActivity({ action: "update", operator: "OP-1" })).toBe(false);
    // A card event without user.id is a person at a terminal, not a system.
    expect(isSystemActivity({ action: "auth_failure" })).toBe(false);
  });

  it("covers exactly the actions the schema accepts without user.id, apart from card events", () => {
    const card = ["auth_failure", "card_locked", "card_unlocked"];
    expect([...SYSTEM_CAPABLE_ACTIONS].sort()).toEqual(EVENT_ACTIONS.filter((a) => !PERSON_ACTIONS.has(a) && !card.includes(a)).sort());
  });
});
