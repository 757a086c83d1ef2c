import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PLAN = join(ROOT, "core/cost/test/rds-class-change.plan.json");

/** A terraform reference as synthesized JSON writes it. */
const ref = (to: string) => `$${"{"}${to}}`;

/** A cdktf.out with one hand-written dev stack, deliberately oversized. */
function oversizedDev(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-cost-"));
  const stack = {
    "//": { metadata: { stackName: "dev-platform", backend: "s3" } },
    terraform: { required_providers: { aws: { source: "aws", version: "6.27.0" } } },
    provider: { aws: [{ region: "eu-west-1", default_tags: [{ tags: { environment: "dev" } }] }] },
    resource: {
      aws_nat_gateway: {
        a: { allocation_id: ref("aws_eip.a.allocation_id") },
        b: { allocation_id: ref("aws_eip.b.allocation_id") },
      },
      aws_eip: { a: { domain: "vpc" }, b: { domain: "vpc" }, spare: { domain: "vpc" } },
      aws_eks_node_group: {
        nodes: {
          instance_types: ["m6i.xlarge"],
          capacity_type: "ON_DEMAND",
          scaling_config: { desired_size: 4 },
        },
      },
      aws_db_instance: {
        db: {
          engine: "postgres",
          instance_class: "db.r6g.2xlarge",
          multi_az: true,
          allocated_storage: 500,
          storage_type: "gp2",
        },
      },
      aws_ebs_volume: { data: { type: "gp2", size: 1000 } },
      aws_cloudwatch_log_group: { app: { name: "/app" } },
      aws_route_table: { rt: {} },
      aws_elasticache_cluster: { cache: {} },
    },
  };
  const folder = join(dir, "cdktf.out", "stacks", "dev-platform");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "cdk.tf.json"), JSON.stringify(stack));
  for (const [name, text] of Object.entries(extra)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("sluice cost diff", () => {
  it("shows the delta of an RDS instance class change, with the region from the plan", async () => {
    const m = memoryIo();
    expect(await main(["cost", "diff", PLAN, "--format", "json"], m.io)).toBe(0);
    const out = JSON.parse(m.stdout);
    // eu-west-1 Multi-AZ db.m7g.large 0.37464 → db.m7g.2xlarge 1.50302 an hour: 1.12838 × 730
    expect(out).toMatchObject({ currency: "USD", region: "eu-west-1", diffTotalMonthlyCost: "823.7174" });
    expect(out.resources).toHaveLength(1);
    expect(out.resources[0].costComponents[0]).toMatchObject({
      unit: "hours",
      monthlyQuantity: "730",
      price: "1.50302",
      monthlyCost: "1097.2046",
    });
  });

  it("prints text and Markdown, and the plan review shows the cost section", async () => {
    const text = memoryIo();
    await main(["cost", "diff", PLAN], text.io);
    expect(text.stdout).toContain("$299.13 → $1,122.85 (+$823.72)");
    const review = memoryIo();
    await main(["plan", "review", PLAN], review.io);
    expect(review.stdout).toContain("### Cost");
    expect(review.stdout).toContain("- `aws_db_instance.database_instance_D7FC2283` (update): +$823.72");
  });

  it("asks for --region when the plan does not say, and rejects regions without prices", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-cost-"));
    const plan = JSON.parse(readFileSync(PLAN, "utf8"));
    delete plan.configuration;
    for (const c of plan.resource_changes) {
      delete c.change.before.region;
      delete c.change.after.region;
    }
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    await expect(main(["cost", "diff", "plan.json"], memoryIo({ cwd: dir }).io)).resolves.toBe(2);
    const m = memoryIo({ cwd: dir });
    expect(
      await main(["cost", "diff", "plan.json", "--region", "us-east-1", "--format", "facts"], m.io),
    ).toBe(0);
    // us-east-1, Multi-AZ: (0.674 - 0.168) × 2 × 730
    expect(JSON.parse(m.stdout).diffTotalMonthlyCost).toBe("738.76");
    const bad = memoryIo({ cwd: dir });
    expect(await main(["cost", "diff", "plan.json", "--region", "mars-north-1"], bad.io)).toBe(2);
    expect(bad.stderr).toContain("no prices for it");
  });
});

describe("sluice cost estimate", () => {
  it("prices a deliberately oversized dev and finds every right-sizing saving", async () => {
    const m = memoryIo({ cwd: oversizedDev() });
    expect(await main(["cost", "estimate", "--format", "json"], m.io)).toBe(0);
    const out = JSON.parse(m.stdout);
    const dev = out.environments[0];
    expect(dev.name).toBe("dev");
    expect(dev.stacks[0].unsupported).toEqual([
      { type: "aws_elasticache_cluster", count: 1, status: "not priced" },
    ]);
    expect(dev.stacks[0].free).toEqual([{ type: "aws_route_table", count: 1 }]);
    const findings = Object.fromEntries(
      dev.findings.map((f: { rule: string; resource: string; monthlySaving: string | null }) => [
        `${f.rule} ${f.resource}`,
        f.monthlySaving,
      ]),
    );
    expect(findings).toEqual({
      // (730 × 0.048 + 730 × 0.005) for the second NAT and its address
      "nat-per-az-outside-prod aws_nat_gateway.a, aws_nat_gateway.b": "38.69",
      "unattached-public-ipv4 aws_eip.spare": "3.65",
      // 4 × 730 × (0.192 × 1.115 - 0.154 × 1.115), eu-west-1 derived prices 0.21408 and 0.17171
      "x86-where-graviton-exists aws_eks_node_group.nodes": "123.7204",
      // 60% of 4 × 730 × 0.21408
      "on-demand-in-dev aws_eks_node_group.nodes": "375.06816",
      // 1000 GB × (0.11 - 0.088)
      "gp2-volume aws_ebs_volume.data": "22",
      "gp2-volume aws_db_instance.db": "0",
      // half of (730 × 2.00477 + 500 × 0.25645): eu-west-1 derived Multi-AZ prices
      "multi-az-outside-prod aws_db_instance.db": "795.85355",
      "log-group-never-expires aws_cloudwatch_log_group.app": null,
    });
    const text = memoryIo({ cwd: oversizedDev() });
    await main(["cost", "estimate"], text.io);
    expect(text.stdout).toContain("Right-sizing:");
    expect(text.stdout).toContain("Not priced: aws_elasticache_cluster ×1");
  });

  it("reads usage/<env>.yml, and names the file and field when it is malformed", async () => {
    const good = memoryIo({
      cwd: oversizedDev({
        "usage/dev.yml":
          "version: 0.1\nresource_usage:\n  aws_nat_gateway.a:\n    monthly_data_processed_gb: 1000\n",
      }),
    });
    await main(["cost", "estimate", "--format", "json"], good.io);
    const nat = JSON.parse(good.stdout).environments[0].stacks[0].resources.find(
      (r: { name: string }) => r.name === "aws_nat_gateway.a",
    );
    expect(nat.monthlyCost).toBe("83.04"); // 730 × 0.048 + 1000 × 0.048
    const bad = memoryIo({
      cwd: oversizedDev({
        "usage/dev.yml":
          "version: 0.1\nresource_usage:\n  aws_nat_gateway.a:\n    monthly_data_processed_gb: lots\n",
      }),
    });
    expect(await main(["cost", "estimate"], bad.io)).toBe(2);
    expect(bad.stderr).toMatch(
      /usage\/dev\.yml:4:\d+: resource_usage\.aws_nat_gateway\.a\.monthly_data_processed_gb: /,
    );
  });

  it("reads the shipped example usage file, and refuses a stack without a literal region", async () => {
    const example = readFileSync(join(ROOT, "docs/examples/cost/usage.yml"), "utf8");
    const m = memoryIo({ cwd: oversizedDev({ "usage/dev.yml": example }) });
    expect(await main(["cost", "estimate", "--format", "json"], m.io)).toBe(0);
    const resources = JSON.parse(m.stdout).environments[0].stacks[0].resources;
    const nat = resources.find((r: { name: string }) => r.name === "aws_nat_gateway.b");
    expect(nat.monthlyCost).toBe("44.64"); // 730 × 0.048 + 200 × 0.048
    const dir = oversizedDev();
    const file = join(dir, "cdktf.out/stacks/dev-platform/cdk.tf.json");
    const stack = JSON.parse(readFileSync(file, "utf8"));
    stack.provider.aws[0].region = ref("var.region");
    writeFileSync(file, JSON.stringify(stack));
    const bad = memoryIo({ cwd: dir });
    expect(await main(["cost", "estimate"], bad.io)).toBe(2);
    expect(bad.stderr).toContain("dev-platform: provider.aws.region: expected a literal region");
  });

  it("names the price file and field when --prices is malformed, and rejects unknown environments", async () => {
    const dir = oversizedDev({ "prices.json": '{"currency":"EUR"}' });
    const m = memoryIo({ cwd: dir });
    expect(await main(["cost", "estimate", "--prices", "prices.json"], m.io)).toBe(2);
    expect(m.stderr).toContain("prices.json: currency:");
    const env = memoryIo({ cwd: dir });
    expect(await main(["cost", "estimate", "--env", "qa"], env.io)).toBe(2);
    expect(env.stderr).toContain("--env qa: no such environment (found dev)");
  });
});

describe("sluice policy eval with cost facts", () => {
  const run = async (extra: string[]) => {
    const m = memoryIo({ cwd: ROOT });
    const args = ["policy", "eval", "--context", "docs/examples/policy/prod-cost-increase.json"];
    const code = await main(
      [...args, "--as-of", "2026-06-02T10:00:00+02:00", "--format", "json", ...extra],
      m.io,
    );
    return { code, decision: JSON.parse(m.stdout) };
  };

  it("requires platform when a plan raises prod by more than $500 a month, as the shipped policy says", async () => {
    const pending = await run([]);
    expect(pending.code).toBe(1);
    const rule = pending.decision.rules.find((r: { name: string }) => r.name === "prod-cost-increase");
    expect(rule).toMatchObject({ state: "unsatisfied", effect: "pending" });
    expect(rule.why.join(" ")).toContain("rises by +$823.72 a month, more than $500 a month");
    const approved = await run(["--approve", "pat"]);
    expect(approved.decision.state).toBe("approved");
  });

  it("does not ask for it when the same plan's facts show no rise", async () => {
    const m = memoryIo({ cwd: ROOT });
    await main(
      [
        "policy",
        "eval",
        "--context",
        "docs/examples/policy/prod-approved.json",
        "--as-of",
        "2026-06-02T10:00:00+02:00",
        "--format",
        "json",
      ],
      m.io,
    );
    const rule = JSON.parse(m.stdout).rules.find((r: { name: string }) => r.name === "prod-cost-increase");
    expect(rule.state).toBe("not-applicable");
  });
});
