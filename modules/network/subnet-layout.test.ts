import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrsOverlap, isPrivateRange, parseCidr, planSubnets } from "./subnet-layout.ts";

describe("planSubnets", () => {
  it("lays out a /16 over three AZs", () => {
    expect(planSubnets("10.0.0.0/16", 3)).toEqual({
      app: ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"],
      public: ["10.0.192.0/21", "10.0.200.0/21", "10.0.208.0/21"],
      data: ["10.0.224.0/21", "10.0.232.0/21", "10.0.240.0/21"],
    });
  });

  it("gives a /22 VPC /28 public and data subnets, the smallest AWS allows", () => {
    const plan = planSubnets("192.168.4.0/22", 2);
    expect(plan.public).toEqual(["192.168.7.0/27", "192.168.7.32/27"]);
    expect(plan.data).toEqual(["192.168.7.128/27", "192.168.7.160/27"]);
  });

  it("rejects bad CIDRs with the value and what was expected", () => {
    expect(() => planSubnets("10.0.0.0", 2)).toThrow("got '10.0.0.0', expected an IPv4 CIDR");
    expect(() => planSubnets("10.0.0.1/16", 2)).toThrow(
      "expected the network address (host bits zero), e.g. 10.0.0.0/16",
    );
    expect(() => planSubnets("10.0.0.0/8", 2)).toThrow("expected a prefix length of /16–/22");
    expect(() => planSubnets("10.0.300.0/24", 2)).toThrow("0–255");
    expect(() => planSubnets("10.0.0.0/16", 4)).toThrow("got 4 AZs");
  });

  it("never overlaps, and stays inside the VPC, for any valid VPC and AZ count", () => {
    const vpc = fc
      .tuple(
        fc.constantFrom(10, 172, 192),
        fc.integer({ min: 16, max: 22 }),
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
      )
      .map(([first, prefix, n, azs]) => {
        const base =
          first === 10
            ? 10 * 2 ** 24
            : first === 172
              ? (172 * 256 + 16) * 2 ** 16
              : (192 * 256 + 168) * 2 ** 16;
        const room = first === 10 ? 8 : first === 172 ? 12 : 16;
        const span = 2 ** (Math.max(prefix, room) - room);
        const addr = base + (n % span) * 2 ** (32 - Math.max(prefix, room));
        const ip = [24, 16, 8, 0].map((s) => Math.floor(addr / 2 ** s) % 256).join(".");
        return { cidr: `${ip}/${Math.max(prefix, room)}`, azs };
      });
    fc.assert(
      fc.property(vpc, ({ cidr, azs }) => {
        const plan = planSubnets(cidr, azs);
        const all = [...plan.public, ...plan.app, ...plan.data];
        expect(all).toHaveLength(3 * azs);
        for (const [i, a] of all.entries()) {
          expect(cidrsOverlap(a, cidr)).toBe(true);
          expect(typeof parseCidr(a)).toBe("object");
          for (const b of all.slice(i + 1)) expect(cidrsOverlap(a, b)).toBe(false);
        }
      }),
    );
  });
});

describe("isPrivateRange", () => {
  it("accepts RFC 1918 ranges and rejects the rest", () => {
    expect(isPrivateRange("10.20.0.0/16")).toBe(true);
    expect(isPrivateRange("172.31.0.0/16")).toBe(true);
    expect(isPrivateRange("192.168.0.0/16")).toBe(true);
    expect(isPrivateRange("172.32.0.0/16")).toBe(false);
    expect(isPrivateRange("8.8.0.0/16")).toBe(false);
    expect(isPrivateRange("10.0.0.0/7")).toBe(false);
  });
});
