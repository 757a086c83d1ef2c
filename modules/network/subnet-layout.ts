/**
 * Deterministic subnet plan for a VPC, computed in TypeScript so the synthesized JSON carries concrete
 * CIDRs (reviewable in a plan, checkable for overlaps before synth).
 *
 * Layout for a VPC of prefix /p (up to 3 AZs):
 * - app subnets take three of the four quarters (/p+2): EKS pods draw their IPs from them (VPC CNI);
 * - the last quarter is cut into eighths (/p+5): public subnets use slots 0–2, data subnets slots 4–6.
 *
 * For 10.0.0.0/16: app 10.0.0.0/18, 10.0.64.0/18, 10.0.128.0/18; public 10.0.192.0/21, …;
 * data 10.0.224.0/21, …. Slots 3 and 7 stay free for later tiers.
 */

/** Smallest and largest VPC prefix the layout supports (AWS allows /16–/28; public/data need /28 or larger). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 22;
export const MAX_AZS = 3;

export interface SubnetPlan {
  readonly public: readonly string[];
  readonly app: readonly string[];
  readonly data: readonly string[];
}

interface ParsedCidr {
  readonly base: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 CIDR; returns an error message instead of throwing. */
export function parseCidr(cidr: string): ParsedCidr | string {
  const m = CIDR_PATTERN.exec(cidr);
  if (!m) return `expected an IPv4 CIDR such as 10.0.0.0/16`;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return `expected each octet to be 0–255`;
  const prefix = Number(m[5]);
  if (prefix > 32) return `expected a prefix length of 0–32`;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    return `expected the network address (host bits zero), e.g. ${formatIp(base - (base % size))}/${prefix}`;
  }
  return { base, prefix };
}

/** True when the CIDR lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16. */
export function isPrivateRange(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") return false;
  const ranges: [number, number][] = [
    [10 * 2 ** 24, 8],
    [(172 * 256 + 16) * 2 ** 16, 12],
    [(192 * 256 + 168) * 2 ** 16, 16],
  ];
  return ranges.some(([base, prefix]) => {
    if (parsed.prefix < prefix) return false;
    return Math.floor(parsed.base / 2 ** (32 - prefix)) === Math.floor(base / 2 ** (32 - prefix));
  });
}

function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** Same as Terraform's cidrsubnet(prefix, newbits, netnum) for IPv4. */
function subnet(parent: ParsedCidr, newbits: number, netnum: number): string {
  const prefix = parent.prefix + newbits;
  return `${formatIp(parent.base + netnum * 2 ** (32 - prefix))}/${prefix}`;
}

/**
 * Plans public, app and data subnets for `azCount` AZs inside `vpcCidr`.
 * Throws with a message naming the bad value; callers prefix their construct/prop name.
 */
export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan {
  const parsed = parseCidr(vpcCidr);
  if (typeof parsed === "string") throw new Error(`got '${vpcCidr}', ${parsed}`);
  if (parsed.prefix < MIN_VPC_PREFIX || parsed.prefix > MAX_VPC_PREFIX) {
    throw new Error(`got '${vpcCidr}', expected a prefix length of /${MIN_VPC_PREFIX}–/${MAX_VPC_PREFIX}`);
  }
  if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
    throw new Error(`got ${azCount} AZs, expected 1–${MAX_AZS}`);
  }
  const lastQuarter: ParsedCidr = {
    base: parsed.base + 3 * 2 ** (32 - parsed.prefix - 2),
    prefix: parsed.prefix + 2,
  };
  const azs = [...Array(azCount).keys()];
  return {
    app: azs.map((i) => subnet(parsed, 2, i)),
    public: azs.map((i) => subnet(lastQuarter, 3, i)),
    data: azs.map((i) => subnet(lastQuarter, 3, 4 + i)),
  };
}

/** True when two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const pa = parseCidr(a);
  const pb = parseCidr(b);
  if (typeof pa === "string" || typeof pb === "string") return false;
  const endA = pa.base + 2 ** (32 - pa.prefix);
  const endB = pb.base + 2 ** (32 - pb.prefix);
  return pa.base < endB && pb.base < endA;
}
