import { describe, expect, it } from "vitest";
import { isValidOrgCode, orgCheckDigit, withCheckDigit } from "./orgcode";

describe("organisation code check digit", () => {
  it("matches the demo prefecture's published codes", () => {
    for (const code of ["352012", "352021", "352039", "353051", "355020", "350001"]) {
      expect(isValidOrgCode(code), code).toBe(true);
    }
    expect(withCheckDigit("35201")).toBe("352012");
    expect(orgCheckDigit("35502")).toBe(0);
  });
  it("rejects wrong check digits and malformed codes", () => {
    expect(isValidOrgCode("352013")).toBe(false);
    expect(isValidOrgCode("35201")).toBe(false);
    expect(isValidOrgCode("35201x")).toBe(false);
  });
});
