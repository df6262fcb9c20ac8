import { describe, expect, it } from "vitest";
import { noStore, requireSameOrigin } from "./route";

const req = (headers: Record<string, string>) => new Request("http://localhost:3000/api/x", { method: "POST", headers });

describe("requireSameOrigin", () => {
  it("accepts a POST from this console's own origin", () => {
    expect(() => requireSameOrigin(req({ host: "localhost:3000", origin: "http://localhost:3000" }))).not.toThrow();
  });
  it("refuses another origin, a missing Origin and a malformed one", () => {
    expect(() => requireSameOrigin(req({ host: "localhost:3000", origin: "http://evil.example" }))).toThrow(/cross-origin/);
    expect(() => requireSameOrigin(req({ host: "localhost:3000" }))).toThrow(/Origin/);
    expect(() => requireSameOrigin(req({ host: "localhost:3000", origin: "null" }))).toThrow(/Origin/);
  });
});

describe("noStore", () => {
  it("marks responses uncacheable, also a redirect whose headers are immutable", async () => {
    const redirect = noStore(Response.redirect("http://localhost:3000/checklist/assessments/a#item-ORG-01", 303));
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe("http://localhost:3000/checklist/assessments/a#item-ORG-01");
    expect(redirect.headers.get("cache-control")).toBe("no-store");
    const own = noStore(new Response("x", { headers: { "cache-control": "private, max-age=0" } }));
    expect(own.headers.get("cache-control")).toBe("private, max-age=0");
    expect(await noStore(Response.json({ a: 1 })).json()).toEqual({ a: 1 });
  });
});
