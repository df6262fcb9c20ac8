import { describe, expect, it } from "vitest";
import { intakeStalled, NODE_SILENCE_GRACE_MINUTES, silenceLimitMs, silenceOf } from "./node-health";

const MIN = 60_000;
const now = Date.parse("2026-06-03T12:00:00Z");

describe("node health: the node-silence threshold", () => {
  it("is the registered interval plus the rule's grace", () => {
    expect(silenceLimitMs(60, 5)).toBe(65 * MIN);
    expect(silenceLimitMs(60, NODE_SILENCE_GRACE_MINUTES)).toBe((60 + NODE_SILENCE_GRACE_MINUTES) * MIN);
  });

  it("a node is silent only past its threshold, not at its expected interval", () => {
    const limitMs = silenceLimitMs(60, 5);
    const at = (minutesAgo: number) => silenceOf({ last: now - minutesAgo * MIN, registeredAt: 0, limitMs, now, horizon: now });
    expect(at(61).silent).toBe(false);
    expect(at(65).silent).toBe(false);
    expect(at(66)).toEqual({ silent: true, silentMinutes: 66 });
  });

  it("measures silence only up to the newest arrival of any node: when intake stops, the nodes are not all silent", () => {
    const limitMs = silenceLimitMs(30, 5);
    const horizon = now - 10 * 3600_000;
    expect(silenceOf({ last: horizon - 5 * MIN, registeredAt: 0, limitMs, now, horizon }).silent).toBe(false);
    // A node quiet for longer than its threshold before the horizon is silent.
    expect(silenceOf({ last: horizon - 40 * MIN, registeredAt: 0, limitMs, now, horizon }).silent).toBe(true);
    expect(intakeStalled(horizon, limitMs, now)).toBe(true);
    expect(intakeStalled(now - 20 * MIN, limitMs, now)).toBe(false);
  });

  it("a node never heard from is silent from its registration; with no data ever, nothing is silent but intake is stalled", () => {
    const limitMs = silenceLimitMs(60, 5);
    expect(silenceOf({ last: null, registeredAt: now - 2 * 3600_000, limitMs, now, horizon: now })).toEqual({ silent: true, silentMinutes: null });
    expect(silenceOf({ last: null, registeredAt: now - 30 * MIN, limitMs, now, horizon: now }).silent).toBe(false);
    expect(silenceOf({ last: null, registeredAt: now - 9 * 3600_000, limitMs, now, horizon: null }).silent).toBe(false);
    expect(intakeStalled(null, limitMs, now)).toBe(true);
  });
});
