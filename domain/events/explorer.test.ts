import { describe, expect, it } from "vitest";
import { csvCell } from "./explorer";

describe("csvCell", () => {
  it("neutralises cells a spreadsheet would read as formulas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\rcmd")).toBe(`"'\rcmd"`);
  });
  it("leaves ordinary cells as they are and quotes separators", () => {
    expect(csvCell("OP-352012-001")).toBe("OP-352012-001");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell("a,b")).toBe(`"a,b"`);
    expect(csvCell("2026-04-01T00:00:00.000Z")).toBe("2026-04-01T00:00:00.000Z");
  });
});
