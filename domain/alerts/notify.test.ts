import { describe, expect, it } from "vitest";
import { alertNotification } from "./notify";
import type { AlertDocument } from "./store";

const alert = (over: Partial<AlertDocument>): AlertDocument => ({
  id: "0123456789abcdef01234567",
  "@timestamp": "2026-12-02T01:00:00Z",
  rule: { id: "subject-repeat-access", name: "同一住民への繰り返し照会", name_en: "Subject repeat access" },
  severity: "high",
  risk_score: 70,
  window: { start: "2026-12-01T15:00:00Z", end: "2026-12-02T15:00:00Z" },
  entity: { type: "subject", id: "ref:9f86d081884c7d65" },
  organization: { id: "352012" },
  summary: "ref:9f86d081884c7d65 を 12 回照会",
  status: "open",
  evidence: {},
  detection: { first_seen: "2026-12-02T01:00:00Z", last_seen: "2026-12-02T01:00:00Z" },
  ...over,
});

describe("notifications of new alerts", () => {
  it("name the rule, organisation and window, link the alert, and never name a resident's reference nor copy the summary", () => {
    const n = alertNotification(alert({}));
    expect(n).toMatchObject({ type: "alert.created", organizationCode: "352012", severity: "high", path: "/alerts/0123456789abcdef01234567" });
    expect(n.dedupeKey).toBe("alert.created:0123456789abcdef01234567");
    const text = [n.title, ...(n.lines ?? [])].join("\n");
    expect(text).toContain("同一住民への繰り返し照会");
    expect(text).toContain("2026/12/02 00:00");
    expect(text).not.toContain("ref:");
  });
  it("name an operator", () => {
    const n = alertNotification(alert({ entity: { type: "operator", id: "OP-352012-001" } }));
    expect(n.lines).toContain("対象：操作者 OP-352012-001");
  });
  it("are node.silent for the node-silence rule", () => {
    const n = alertNotification(
      alert({ rule: { id: "node-silence", name: "ノードの無通信", name_en: "Node silence" }, entity: { type: "node", id: "CS-352012" } }),
    );
    expect(n).toMatchObject({ type: "node.silent", ref: { kind: "node", id: "CS-352012" }, path: "/alerts/0123456789abcdef01234567" });
    expect(n.title).toContain("CS-352012");
  });
});
