/** IPv4 CIDR arithmetic for environment validation. */

export interface Ipv4Range {
  readonly start: number;
  readonly end: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "10.0.0.0/16"; returns an error message for anything else, including host bits set. */
export function parseCidr(text: string): Ipv4Range | string {
  const m = CIDR.exec(text);
  if (!m) return `expected an IPv4 CIDR like 10.0.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return "each octet must be 0-255";
  if (prefix > 32) return "prefix length must be 0-32";
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0)
    return `host bits are set; did you mean ${formatIpv4(address - (address % size))}/${prefix}?`;
  return { start: address, end: address + size - 1, prefix };
}

function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}
