import { beforeAll, describe, expect, it } from "vitest";
import { accessEventSchema, dropNulls, expandDottedKeys, findForbiddenKey, ForbiddenKeyError, formatIssues, normaliseEvent, toStoredEvent } from "./event";
import { residentRef, resetPseudonymKey } from "./pseudonym";

const base = {
  "@timestamp": "2026-11-21T22:15:02.123+09:00",
  event: { id: "e1", action: "view", outcome: "success" },
  observer: { id: "CS-352012", type: "municipal_cs" },
  organization: { id: "352012" },
  user: { id: "OP-352012-001" },
  jukinet: { subject: { resident_code: "12345678901", individual_number: "123456789012" }, purpose: { schedule: "jukiho", item: "jukiho-1" } },
};

const reason = (input: unknown) => {
  const r = accessEventSchema.safeParse(input);
  return r.success ? "ok" : formatIssues(r.error);
};

beforeAll(() => {
  process.env.PSEUDONYM_KEY = "00".repeat(32);
  resetPseudonymKey();
});

describe("access event schema", () => {
  it("accepts a contract event", () => {
    expect(reason(base)).toBe("ok");
  });

  it("names the field and the reason of each problem", () => {
    expect(reason({ ...base, "@timestamp": "2026-11-21T22:15:02" })).toMatch(/^@timestamp: expected an ISO 8601 date-time with offset/);
    expect(reason({ ...base, organization: { id: "352013" } })).toBe("organization.id: expected a 6-digit local government code with a valid check digit");
    expect(reason({ ...base, event: { ...base.event, action: "search" } })).toBe('jukinet.query.kind: required for "search"');
    expect(reason({ ...base, user: undefined })).toBe('user.id: required for "view"');
    expect(reason({ ...base, jukinet: { ...base.jukinet, subject: { resident_code: "1234" } } })).toBe("jukinet.subject.resident_code: expected 11 digits");
    expect(reason({ ...base, event: { ...base.event, action: "provide" } })).toBe(
      'jukinet.recipient.id: required for "provide"; jukinet.channel: required for "provide"',
    );
    expect(reason({ ...base, source: { ip: "10.0.0.300" } })).toBe("source.ip: expected an IPv4 or IPv6 address");
    expect(reason({ ...base, event: undefined })).toBe("event: required");
  });

  it("accepts flat dotted keys as well as nested objects", () => {
    const flat = expandDottedKeys({
      "@timestamp": base["@timestamp"],
      "event.id": "e1",
      "event.action": "logout",
      "event.outcome": "success",
      "observer.id": "CS-352012",
      "observer.type": "municipal_cs",
      "organization.id": "352012",
      "user.id": "OP-1",
    });
    expect(reason(flat)).toBe("ok");
  });
});

describe("stored event", () => {
  it("replaces resident identifiers by keyed references and derives JST time fields", () => {
    const doc = toStoredEvent(accessEventSchema.parse(base), "2026-11-22T00:00:00.000Z") as any;
    const text = JSON.stringify(doc);
    expect(text).not.toContain("12345678901");
    expect(text).not.toContain("123456789012");
    expect(doc.jukinet.subject.ref).toBe(residentRef("12345678901"));
    expect(doc.jukinet.subject.ref).toMatch(/^[0-9a-f]{32}$/);
    expect(doc.jukinet.subject.number_ref).toMatch(/^[0-9a-f]{32}$/);
    expect(doc["@timestamp"]).toBe("2026-11-21T13:15:02.123Z");
    expect(doc.jukinet.time).toEqual({ date: "2026-11-21", hour: 22, minute_of_day: 22 * 60 + 15, weekday: 6, business_day: false });
    expect(doc.jukinet.record_count).toBe(1);
  });

  it("gives neighbouring codes the same block reference and distant codes different ones", async () => {
    const { residentBlockRef } = await import("./pseudonym");
    expect(residentBlockRef("12345678901")).toBe(residentBlockRef("12345678999"));
    expect(residentBlockRef("12345678901")).not.toBe(residentBlockRef("12345679001"));
  });
});

describe("keys that reach a prototype", () => {
  const clean = () => {
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.prototype.hasOwnProperty("x")).toBe(false);
  };

  it("are found at any depth: top level, nested, in arrays, and in any segment of a dotted key", () => {
    const found = (text: string) => findForbiddenKey(JSON.parse(text))?.message;
    expect(found('{"__proto__.x": 1}')).toBe('key "__proto__" is not allowed (at __proto__.x)');
    expect(found('{"__proto__": {"x": 1}}')).toBe('key "__proto__" is not allowed (at __proto__)');
    expect(found('{"event.constructor.prototype.x": 1}')).toBe('key "constructor" is not allowed (at event.constructor.prototype.x)');
    expect(found('{"event": {"id": "e", "prototype": {}}}')).toBe('key "prototype" is not allowed (at event.prototype)');
    expect(found('{"alert": {"metadata": [{"ok": 1}, {"a.constructor": 2}]}}')).toBe('key "constructor" is not allowed (at alert.metadata[1].a.constructor)');
    expect(found('[[{"__proto__": 1}]]')).toBe('key "__proto__" is not allowed (at [0][0].__proto__)');
    clean();
  });

  it("are not confused with values or look-alike keys", () => {
    expect(
      findForbiddenKey(JSON.parse('{"user": {"id": "__proto__"}, "jukinet": {"change": {"reason": "constructor"}}, "proto": 1, "x.prototypes": 2}')),
    ).toBeUndefined();
    expect(findForbiddenKey(base)).toBeUndefined();
  });

  it("survive a deeply nested line without exhausting the stack", () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20_000)}{"__proto__":1}${"}".repeat(20_000)}`);
    expect(findForbiddenKey(deep)?.key).toBe("__proto__");
  });

  it("make expandDottedKeys throw and never write through __proto__", () => {
    expect(() => expandDottedKeys(JSON.parse('{"__proto__.x": 1, "event.id": "e"}'))).toThrow(ForbiddenKeyError);
    expect(() => expandDottedKeys(JSON.parse('{"event.constructor.prototype.x": 1}'))).toThrow(
      'key "constructor" is not allowed (at event.constructor.prototype.x)',
    );
    expect(() => expandDottedKeys(JSON.parse('{"__proto__": {"x": 1}, "event.id": "e"}'))).toThrow(ForbiddenKeyError);
    clean();
  });
});

describe("dotted keys", () => {
  it("build objects without a prototype chain and leave the input untouched", () => {
    const input = JSON.parse('{"event": {"id": "e1"}, "event.action": "view", "observer.id": "CS-352012", "@timestamp": "t"}');
    const out = expandDottedKeys(input) as Record<string, any>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.getPrototypeOf(out.event)).toBeNull();
    expect(Object.getPrototypeOf(out.observer)).toBeNull();
    expect({ ...out.event }).toEqual({ id: "e1", action: "view" });
    expect(out["@timestamp"]).toBe("t");
    expect(input.event).toEqual({ id: "e1" });
  });

  it("merge a nested object given after dotted keys below it", () => {
    const out = expandDottedKeys({ "event.action": "view", event: { id: "e1", outcome: "success" } }) as Record<string, any>;
    expect({ ...out.event }).toEqual({ action: "view", id: "e1", outcome: "success" });
  });

  it("still parse as a contract event, nested and dotted alike", () => {
    const { jukinet, ...rest } = base;
    const mixed = expandDottedKeys({ ...rest, "jukinet.purpose.schedule": "jukiho", "jukinet.purpose.item": "jukiho-1", "jukinet.subject": jukinet.subject });
    expect(reason(mixed)).toBe("ok");
    expect(accessEventSchema.parse(mixed).jukinet.purpose).toEqual({ schedule: "jukiho", item: "jukiho-1" });
  });
});

describe("system activity and the contract's optional fields", () => {
  const system = (action: string, jukinet: Record<string, unknown>) => {
    const { user: _user, ...rest } = base;
    return { ...rest, event: { ...base.event, action }, jukinet };
  };
  const provision = { purpose: { schedule: "4", item: "4-1" }, recipient: { id: "AG-1" }, channel: "online_batch", record_count: 120 };

  it("accepts update, provide, batch_provide, notify and code_change without user.id", () => {
    expect(reason(system("update", { change: { reason: "move_in", source_system: "住民記録システム" }, subject: { resident_code: "12345678901" } }))).toBe(
      "ok",
    );
    expect(reason(system("provide", { ...provision, batch: { id: "B-1" } }))).toBe("ok");
    expect(reason(system("batch_provide", provision))).toBe("ok");
    expect(reason(system("notify", {}))).toBe("ok");
    expect(reason(system("code_change", { subject: { resident_code: "12345678901", previous_resident_code: "10987654321" } }))).toBe("ok");
  });

  it("still requires user.id for the actions of a person", () => {
    for (const action of ["login", "logout", "view", "export", "print"])
      expect(reason(system(action, { purpose: base.jukinet.purpose }))).toBe(`user.id: required for "${action}"`);
  });

  it("requires both codes of a code_change", () => {
    expect(reason(system("code_change", { subject: { resident_code: "12345678901" } }))).toBe(
      'jukinet.subject.previous_resident_code: required for "code_change"',
    );
    expect(reason(system("code_change", { subject: { previous_resident_code: "12345678901" } }))).toBe(
      'jukinet.subject.resident_code: required (the new code) for "code_change"',
    );
  });

  it("stores the previous code of a code_change as a keyed reference, and the batch id", () => {
    const e = accessEventSchema.parse(
      system("code_change", { subject: { resident_code: "12345678901", previous_resident_code: "10987654321" }, batch: { id: "B-7" } }),
    );
    const doc = toStoredEvent(e, "2026-11-22T00:00:00.000Z") as any;
    expect(JSON.stringify(doc)).not.toContain("10987654321");
    expect(doc.jukinet.subject.previous_ref).toBe(residentRef("10987654321"));
    expect(doc.jukinet.subject.ref).toBe(residentRef("12345678901"));
    expect(doc.jukinet.batch).toEqual({ id: "B-7" });
    expect(doc.user).toBeUndefined();
  });

  it("reads a null field as an absent one, and a required field sent as null as missing", () => {
    const nulls = normaliseEvent({
      ...base,
      "user.id": null,
      host: { id: null },
      source: null,
      "jukinet.query": null,
      "jukinet.record_count": null,
      event: { ...base.event, action: "update" },
      "jukinet.change.reason": "birth",
      "jukinet.change.source_system": null,
    });
    expect(reason(nulls)).toBe("ok");
    const parsed = accessEventSchema.parse(nulls);
    expect(parsed.user).toBeUndefined();
    expect(parsed.host).toBeUndefined();
    expect(parsed.jukinet.change).toEqual({ reason: "birth" });
    expect(reason(normaliseEvent({ ...base, "@timestamp": null }))).toBe("@timestamp: required");
    expect(reason(normaliseEvent({ ...base, "user.id": null }))).toBe('user.id: required for "view"');
  });

  it("drops nulls without touching the input, and only to the contract's depth", () => {
    const input = { a: null, b: { c: null, d: 1 }, e: { f: { g: null } }, h: {} };
    expect(JSON.parse(JSON.stringify(dropNulls(input)))).toEqual({ b: { d: 1 }, h: {} });
    expect(input.a).toBeNull();
    const deep = { a: { b: { c: { d: null } } } };
    expect(JSON.parse(JSON.stringify(dropNulls(deep)))).toEqual(deep);
  });
});
