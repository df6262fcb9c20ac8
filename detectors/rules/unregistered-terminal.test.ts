import { describe, expect, it } from "vitest";
import type { RegistrySnapshot } from "../registry";
import { checkOrigin } from "./unregistered-terminal";

const registry = {
  terminals: new Map([
    ["TM-352012-01", { id: "TM-352012-01", organizationId: "352012", ip: "10.35.1.11" }],
    ["TM-352012-02", { id: "TM-352012-02", organizationId: "352012", ip: null }],
  ]),
  terminalByIp: new Map([["10.35.1.11", "TM-352012-01"]]),
} as unknown as RegistrySnapshot;

describe("unregistered-terminal origin check", () => {
  it("accepts registered terminals from their address, without an address, and server work without a terminal", () => {
    expect(checkOrigin(registry, { org: "352012", host: "TM-352012-01", ip: "10.35.1.11" })).toBeNull();
    expect(checkOrigin(registry, { org: "352012", host: "TM-352012-01", ip: null })).toBeNull();
    expect(checkOrigin(registry, { org: "352012", host: "TM-352012-02", ip: "10.35.1.99" })).toBeNull(); // no registered IP to compare
    expect(checkOrigin(registry, { org: "352012", host: null, ip: "10.35.1.11" })).toBeNull();
    expect(checkOrigin(registry, { org: "350001", host: null, ip: null })).toBeNull();
  });

  it("names the host or terminal and the reason otherwise", () => {
    expect(checkOrigin(registry, { org: "352012", host: "TM-352012-99", ip: "10.35.1.250" })).toMatchObject({
      entity: { type: "host", id: "TM-352012-99" },
      reason: "unregistered_host",
    });
    expect(checkOrigin(registry, { org: "352012", host: "TM-352012-01", ip: "10.35.1.251" })).toMatchObject({
      entity: { type: "terminal" },
      reason: "address_mismatch",
      registeredIp: "10.35.1.11",
    });
    expect(checkOrigin(registry, { org: "353213", host: "TM-352012-01", ip: "10.35.1.11" })).toMatchObject({ reason: "other_organization" });
    expect(checkOrigin(registry, { org: "352012", host: null, ip: "192.168.0.5" })).toMatchObject({
      entity: { type: "host", id: "192.168.0.5" },
      reason: "unregistered_address",
    });
  });
});
