import { describe, expect, it } from "vitest";
import { DisclosureError, parseResidentCode } from "./disclosure";

describe("parseResidentCode", () => {
  it("accepts 11 digits, also full-width or grouped with spaces and hyphens", () => {
    expect(parseResidentCode("50000424242")).toBe("50000424242");
    expect(parseResidentCode("５００００４２４２４２")).toBe("50000424242");
    expect(parseResidentCode(" 5000 0424 242 ")).toBe("50000424242");
    expect(parseResidentCode("5000-0424-242")).toBe("50000424242");
  });

  it("refuses anything else with an error that does not repeat the input", () => {
    for (const bad of ["5000042424", "500004242421", "5000042424x", "", "１２３"]) {
      const e = (() => {
        try {
          parseResidentCode(bad);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(DisclosureError);
      expect((e as DisclosureError).code).toBe("invalid_code");
      if (bad) expect((e as Error).message).not.toContain(bad);
    }
  });
});
