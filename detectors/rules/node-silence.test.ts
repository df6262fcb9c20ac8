import { describe, expect, it } from "vitest";
import { NODE_SILENCE_GRACE_MINUTES, NODE_SILENCE_RULE } from "../../domain/node-health";
import nodeSilence from "./node-silence";

describe("node-silence shares the dashboard's definition", () => {
  it("has the id and default grace the dashboard reads", () => {
    expect(nodeSilence.id).toBe(NODE_SILENCE_RULE);
    expect(nodeSilence.params.graceMinutes).toBe(NODE_SILENCE_GRACE_MINUTES);
  });
});
