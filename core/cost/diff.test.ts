import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../plan/parse.ts";
import { planText } from "../plan/test/plans.ts";
import { costFacts, diffPlan, planRegion } from "./diff.ts";
import { formatDec } from "./money.ts";
import { shipped } from "./test/book.ts";

const db = {
  engine: "postgres",
  instance_class: "db.m6g.large",
  allocated_storage: 100,
  storage_type: "gp3",
  multi_az: false,
};

describe("cost diff of a plan", () => {
  const plan = parsePlan(
    planText([
      { type: "aws_nat_gateway", name: "new", actions: ["create"], after: {} },
      {
        type: "aws_db_instance",
        name: "main",
        actions: ["update"],
        before: db,
        after: { ...db, instance_class: "db.m6g.xlarge" },
      },
      {
        type: "aws_eks_cluster",
        name: "c",
        actions: ["delete", "create"],
        before: {},
        after: { upgrade_policy: { support_type: "EXTENDED" } },
      },
      { type: "aws_eip", name: "old", actions: ["delete"], before: { domain: "vpc" } },
      { type: "aws_route_table", name: "rt", actions: ["create"], after: {} },
      { type: "aws_elasticache_cluster", name: "cache", actions: ["create"], after: {} },
    ]),
    "plan.json",
  );
  const d = diffPlan(plan, shipped, { region: "us-east-1" });
  const by = Object.fromEntries(
    d.resources.map((r) => [
      r.name,
      [formatDec(r.pastMonthlyCost), formatDec(r.monthlyCost), formatDec(r.diffMonthlyCost)],
    ]),
  );

  it("prices before and after each change; a replace counts once on each side", () => {
    expect(by).toEqual({
      "aws_nat_gateway.new": ["0", "32.85", "32.85"],
      // 730 × 0.159 + 11.5 → 730 × 0.318 + 11.5
      "aws_db_instance.main": ["127.57", "243.64", "116.07"],
      "aws_eks_cluster.c": ["73", "438", "365"],
      "aws_eip.old": ["3.65", "0", "-3.65"],
    });
    expect(formatDec(d.pastTotalMonthlyCost)).toBe("204.22");
    expect(formatDec(d.totalMonthlyCost)).toBe("714.49");
    expect(formatDec(d.diffTotalMonthlyCost)).toBe("510.27");
    expect(d.resources[0]?.name).toBe("aws_eks_cluster.c");
  });

  it("lists unsupported types as not priced and skips free ones", () => {
    expect(d.unsupported).toEqual([{ type: "aws_elasticache_cluster", count: 1 }]);
    expect(by["aws_route_table.rt"]).toBeUndefined();
  });

  it("gives the plan facts' cost with the top drivers", () => {
    expect(costFacts(d)).toEqual({
      currency: "USD",
      pastTotalMonthlyCost: "204.22",
      totalMonthlyCost: "714.49",
      diffTotalMonthlyCost: "510.27",
      drivers: [
        { address: "aws_eks_cluster.c", diffMonthlyCost: "365" },
        { address: "aws_db_instance.main", diffMonthlyCost: "116.07" },
        { address: "aws_nat_gateway.new", diffMonthlyCost: "32.85" },
      ],
    });
  });

  it("reads the region from the plan's provider configuration, or from a resource's own region", () => {
    const text = planText([], {
      configuration: {
        provider_config: { aws: { name: "aws", expressions: { region: { constant_value: "eu-west-2" } } } },
      },
    });
    expect(planRegion(text)).toBe("eu-west-2");
    expect(planRegion(planText([]))).toBeUndefined();
    const own = parsePlan(
      planText([{ type: "aws_eip", name: "a", actions: ["create"], after: { region: "ap-southeast-1" } }]),
    );
    // The address price is the same everywhere; the NAT price is not.
    const nat = parsePlan(
      planText([
        { type: "aws_nat_gateway", name: "a", actions: ["create"], after: { region: "ap-southeast-1" } },
      ]),
    );
    expect(formatDec(diffPlan(own, shipped, { region: "us-east-1" }).totalMonthlyCost)).toBe("3.65");
    expect(formatDec(diffPlan(nat, shipped, { region: "us-east-1" }).totalMonthlyCost)).toBe("43.07");
  });

  it("a no-op plan has a zero delta (property)", () => {
    const resource = fc.oneof(
      fc.record({
        type: fc.constant("aws_db_instance"),
        after: fc.record({
          engine: fc.constant("postgres"),
          instance_class: fc.constantFrom("db.t4g.micro", "db.m6g.large", "db.r7g.4xlarge"),
          allocated_storage: fc.integer({ min: 20, max: 5000 }),
          multi_az: fc.boolean(),
          storage_type: fc.constantFrom("gp2", "gp3"),
        }),
      }),
      fc.record({
        type: fc.constant("aws_eks_node_group"),
        after: fc.record({
          instance_types: fc.constantFrom(["m7g.large"], ["t3.medium"], ["c6i.4xlarge"]),
          scaling_config: fc.record({ desired_size: fc.integer({ min: 0, max: 50 }) }),
        }),
      }),
      fc.record({
        type: fc.constant("aws_ebs_volume"),
        after: fc.record({
          type: fc.constantFrom("gp3", "io2", "gp2"),
          size: fc.integer({ min: 1, max: 16000 }),
          iops: fc.integer({ min: 100, max: 100000 }),
        }),
      }),
      fc.record({
        type: fc.constantFrom("aws_nat_gateway", "aws_eip", "aws_kms_key", "aws_eks_cluster", "aws_vpc"),
        after: fc.constant({}),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(resource, { maxLength: 30 }),
        fc.constantFrom(...shipped.regions),
        (resources, region) => {
          const noop = parsePlan(
            planText(
              resources.map((r, i) => ({
                type: r.type,
                name: `r${i}`,
                actions: ["no-op"],
                before: r.after,
                after: structuredClone(r.after),
              })),
            ),
          );
          const d = diffPlan(noop, shipped, { region });
          expect(d.diffTotalMonthlyCost).toBe(0n);
          expect(d.pastTotalMonthlyCost).toBe(d.totalMonthlyCost);
        },
      ),
      { numRuns: 200 },
    );
  });
});
