/**
 * 全国地方公共団体コード: five digits plus a check digit.
 * Weights 6,5,4,3,2 on the five digits; r = sum mod 11; check = (11 − r) mod 10.
 */
const WEIGHTS = [6, 5, 4, 3, 2];

export function orgCheckDigit(fiveDigits: string): number {
  if (!/^\d{5}$/.test(fiveDigits)) throw new Error(`expected five digits, got "${fiveDigits}"`);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(fiveDigits[i]) * WEIGHTS[i];
  return (11 - (sum % 11)) % 10;
}

export function isValidOrgCode(code: string): boolean {
  return /^\d{6}$/.test(code) && orgCheckDigit(code.slice(0, 5)) === Number(code[5]);
}

/** Appends the check digit: "35201" → "352012". */
export function withCheckDigit(fiveDigits: string): string {
  return fiveDigits + orgCheckDigit(fiveDigits);
}
