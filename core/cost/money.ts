/**
 * Exact decimal arithmetic for prices, quantities and money: a bigint counting 10^-12 units, so sums
 * never pick up binary floating-point error. 12 places hold every AWS unit price (e.g. $0.0000004 per
 * request) exactly; a product is rounded half away from zero at the 12th place.
 */
export type Dec = bigint;

export const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);
export const ZERO: Dec = 0n;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("0.0116", "730", "-2.5") or a finite number; undefined for anything else. */
export function parseDec(value: string | number): Dec | undefined {
  const text = typeof value === "number" ? numberText(value) : value.trim();
  if (text === undefined) return undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  if (fraction.length > SCALE && /[1-9]/.test(fraction.slice(SCALE))) return undefined;
  const digits = BigInt((m[2] ?? "0") + fraction.slice(0, SCALE).padEnd(SCALE, "0"));
  return m[1] ? -digits : digits;
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // Plain notation for the integers and short decimals terraform attributes hold.
  return Math.abs(n) < 1e21 ? n.toFixed(Math.min(SCALE, fractionDigits(n))) : undefined;
}

function fractionDigits(n: number): number {
  const s = String(n);
  const e = /e-(\d+)$/.exec(s);
  if (e) return Number(e[1]) + (s.split("e")[0]?.split(".")[1]?.length ?? 0);
  return s.split(".")[1]?.length ?? 0;
}

/** A decimal from an integer count (hours, GB, requests). */
export function dec(n: number | bigint): Dec {
  return BigInt(n) * ONE;
}

export function mul(a: Dec, b: Dec): Dec {
  return divRound(a * b, ONE);
}

/** a / b rounded half away from zero at the 12th place. */
export function div(a: Dec, b: Dec): Dec {
  if (b === 0n) throw new RangeError("division by zero");
  return divRound(a * ONE, b);
}

function divRound(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return negative ? -q : q;
}

export function sum(values: Iterable<Dec>): Dec {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}

/** The exact decimal text, without trailing zeros: "70.08", "0.0000004", "-12". */
export function formatDec(value: Dec): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(SCALE + 1, "0");
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Rounded to cents, for people: "$1,234.57", "-$3.20". */
export function formatUsd(value: Dec, options: { sign?: boolean } = {}): string {
  const cents = divRound(value, ONE / 100n);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = `$${whole}.${(abs % 100n).toString().padStart(2, "0")}`;
  if (negative) return `-${text}`;
  return options.sign && abs > 0n ? `+${text}` : text;
}
