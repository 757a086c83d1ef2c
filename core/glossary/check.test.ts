import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NameChecker } from "./check.ts";
import { shortenName } from "./shorten.ts";
import { checkLimits, type NameTarget, TARGETS } from "./targets.ts";
import { parseFixtureGlossary } from "./test/fixture-glossary.ts";
import { splitTokens } from "./tokens.ts";

// A checker per call, never one at load time: code run while the file loads is "static" to Stryker, which must
// then rerun every test of the file for each of its mutants.
const checker = () => new NameChecker(parseFixtureGlossary());
const rules = (name: string, target: NameTarget) =>
  checker()
    .check({ file: "f", name, target })
    .map((f) => f.rule);

describe("splitTokens", () => {
  it("splits on punctuation and case changes, keeps digits with letters", () => {
    expect(splitTokens("prod_DB.orders-S3Bucket/HTTPServer")).toEqual([
      "prod",
      "db",
      "orders",
      "s3",
      "bucket",
      "http",
      "server",
    ]);
    expect(splitTokens("ProdDatabase")).toEqual(["prod", "database"]);
  });
});

describe("target limits", () => {
  // One name per limit the issue names; each must break exactly that rule.
  const cases: [NameTarget, string, string][] = [
    ["iam-role", `dev-${"app-".repeat(15)}role`, "too-long"],
    ["sqs-queue", `dev-${"app-".repeat(19)}queue`, "too-long"],
    ["sqs-fifo-queue", `dev-${"app-".repeat(18)}queue.fifo`, "too-long"],
    ["sqs-fifo-queue", "dev-orders-queue", "fifo-suffix"],
    ["rds-identifier", `dev-${"app-".repeat(15)}db`, "too-long"],
    ["rds-identifier", "1dev-db", "must-start-with-letter"],
    ["rds-identifier", "dev--db", "double-hyphen"],
    ["rds-identifier", "dev-db-", "trailing-hyphen"],
    ["rds-identifier", "Dev-db", "uppercase"],
    ["eks-cluster", `dev-${"app-".repeat(24)}cluster`, "too-long"],
    ["s3-bucket", "s3", "too-short"],
    ["s3-bucket", `dev-${"app-".repeat(15)}s3`, "too-long"],
    ["s3-bucket", "dev_state", "underscore"],
    ["s3-bucket", "dev..state", "double-dot"],
    ["s3-bucket", "xn--dev-state", "reserved-prefix"],
    ["s3-bucket", "dev-state-s3alias", "reserved-suffix"],
    ["s3-bucket", "192.168.1.1", "ip-address"],
    ["alb", "dev-app-orders-repository-lb-xyz1", "too-long"],
    ["target-group", "dev-app-orders-repository-xyz-one", "too-long"],
    ["cognito-user-pool", `dev-${"app-".repeat(31)}pool`, "too-long"],
    ["k8s-namespace", `dev-${"app-".repeat(15)}ns`, "too-long"],
    ["k8s-namespace", "dev_app", "dns-label"],
    ["k8s-label-value", `${"app-".repeat(16)}db`, "too-long"],
    ["helm-release", `dev-${"app-".repeat(12)}db`, "too-long"],
    ["tag-key", "aws:owner", "reserved-prefix"],
    ["tag-key", "k".repeat(129), "too-long"],
    ["tag-value", "v".repeat(257), "too-long"],
  ];
  it.each(cases)("%s '%s' breaks %s", (target, name, rule) => {
    expect(checkLimits(name, target).map((v) => v.rule)).toContain(rule);
  });

  it("accepts names at exactly each target's limit", () => {
    for (const [target, spec] of Object.entries(TARGETS) as [NameTarget, (typeof TARGETS)[NameTarget]][]) {
      const suffix = spec.requiredSuffix ?? "";
      const name = "a".repeat(spec.maxLength - suffix.length) + suffix;
      expect(
        checkLimits(name, target).map((v) => v.rule),
        target,
      ).not.toContain("too-long");
    }
  });
});

describe("NameChecker", () => {
  it("passes a name built from terms, short forms and digits", () => {
    expect(rules("prod-acme-orders-repo-2", "ecr-repository")).toEqual([]);
  });

  it("reports an unknown token by name, with the closest term as suggestion", () => {
    const [finding] = checker().check({ file: "f", line: 3, name: "dev-ordrs-queue", target: "sqs-queue" });
    expect(finding).toMatchObject({
      file: "f",
      line: 3,
      name: "dev-ordrs-queue",
      rule: "unknown-token",
      suggestion: "dev-orders-queue",
    });
    expect(finding?.message).toContain("'ordrs' is not a glossary term; did you mean 'orders'");
  });

  it("replaces the token itself in a suggestion, not the same letters inside another token", () => {
    // 'ordrs' is unknown (closest term: 'orders'), and its letters also stand inside 'xordrsx'.
    const findings = checker().check({ file: "f", name: "dev-xordrsx-ordrs", target: "generic" });
    expect(findings.find((f) => f.rule === "unknown-token")?.suggestion).toBe("dev-xordrsx-orders");
    const camel = checker().check({ file: "f", name: "devLiveOrders", target: "generic" });
    expect(camel.find((f) => f.rule === "deprecated-synonym")?.suggestion).toBe("devprodOrders");
  });

  it("gives one finding per name, listing every unknown token, with each suggested term in place", () => {
    const findings = checker().check({ file: "f", name: "dev-ordrs-clustr-foo", target: "generic" });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "unknown-token", suggestion: "dev-orders-cluster-foo" });
    expect(findings[0]?.message).toBe(
      "'dev-ordrs-clustr-foo': 'ordrs', 'clustr', 'foo' are not glossary terms; did you mean 'orders' for 'ordrs', 'cluster' for 'clustr'? Use terms from glossary.md or add them there.",
    );
  });

  it.each([
    ["1b", "dev-db-1b"],
    ["a", "dev-a-queue"],
    ["x", "dev-x-db"],
    ["k8", "dev-k8-cluster"],
  ])("gives no suggestion for '%s' rather than a wrong one", (token, name) => {
    for (const f of checker().check({ file: "f", name, target: "generic" })) {
      expect(f.suggestion, f.message).toBeUndefined();
      expect(f.message).not.toContain("did you mean");
      expect(f.message).toContain(`'${token}'`);
    }
  });

  it("treats numbers, availability-zone suffixes and region names as tokens of their own kind", () => {
    expect(rules("dev-db-1b", "generic")).toEqual([]);
    expect(rules("dev-app-2", "generic")).toEqual([]);
    expect(rules("dev-db-eu-west-1", "generic")).toEqual([]);
    expect(rules("dev-db-us-gov-west-1", "generic")).toEqual([]);
    expect(rules("dev-db-eu-central-1a", "generic")).toEqual([]);
    expect(rules("dev-db-use1-az1", "generic")).toEqual([]);
    // Only whole region names: the words of one on their own are still unknown.
    expect(rules("dev-east-db", "generic")).toEqual(["unknown-token"]);
    expect(rules("dev-db-1z", "generic")).toEqual(["unknown-token"]);
  });

  it("suggests the term of a misspelt deprecated synonym", () => {
    expect(checker().check({ file: "f", name: "dev-databse", target: "generic" })[0]?.suggestion).toBe(
      "dev-db",
    );
  });

  it("reports a deprecated synonym with its replacement, in names also when scoped to names", () => {
    const findings = checker().check({ file: "f", name: "production-k8s-LiveDatabase", target: "generic" });
    expect(findings.map((f) => [f.rule, f.suggestion])).toEqual([
      ["deprecated-synonym", "prod-k8s-LiveDatabase"],
      ["deprecated-synonym", "production-eks-LiveDatabase"],
      ["deprecated-synonym", "production-k8s-prodDatabase"],
      ["deprecated-synonym", "production-k8s-Livedb"],
    ]);
  });

  it("reports every limit and every bad token of one name", () => {
    expect(rules("Dev--Database-", "rds-identifier").sort()).toEqual(
      ["deprecated-synonym", "double-hyphen", "invalid-characters", "trailing-hyphen", "uppercase"].sort(),
    );
  });

  it("accepts external names whole, the .fifo suffix, the alias/ prefix and a shortening hash", () => {
    expect(rules("kube-system", "k8s-namespace")).toEqual([]);
    expect(rules("dev-orders-queue.fifo", "sqs-fifo-queue")).toEqual([]);
    expect(rules("alias/dev-app-db", "kms-alias")).toEqual([]);
    expect(rules("dev-app-orders-3fa9c0d1", "alb")).toEqual([]);
    expect(rules("dev-3fa9c0d1-orders", "alb")).toEqual(["unknown-token"]);
  });

  it("checks only our identifier inside the log-group names AWS fixes (RDS exports, Container Insights)", () => {
    expect(rules("/aws/rds/instance/dev-app-db/postgresql", "log-group")).toEqual([]);
    expect(rules("/aws/containerinsights/dev-app/dataplane", "log-group")).toEqual([]);
    expect(rules("/aws/rds/instance/dev-database/postgresql", "log-group")).toEqual(["deprecated-synonym"]);
    expect(rules("/aws/rds/dev-app-db/postgresql", "log-group")).toContain("unknown-token");
  });

  it("does not check tag keys or ordinary tag values against the glossary", () => {
    expect(rules("CostCentre", "tag-key")).toEqual([]);
    expect(rules("CC-PLATFORM-PROD", "tag-value")).toEqual([]);
    expect(
      checker()
        .check({ file: "f", name: "live-app", target: "tag-value", tokens: true })
        .map((f) => f.rule),
    ).toEqual(["deprecated-synonym"]);
  });

  it("flags in prose only the synonyms deprecated everywhere, with line numbers, honouring ignore markers", () => {
    const text = [
      "We deploy to production on Fridays.",
      "Kubernetes runs live traffic; see https://example.com/production/k8s",
      "Old k8s notes. <!-- glossary-ignore-line -->",
      "<!-- glossary-ignore-start -->",
      "prd and k8s are deprecated",
      "<!-- glossary-ignore-end -->",
      "the PRD cluster",
    ].join("\n");
    expect(
      checker()
        .checkText(text, "doc.md")
        .map((f) => [f.line, f.name, f.suggestion]),
    ).toEqual([
      [1, "production", "prod"],
      [7, "prd", "prod"],
    ]);
  });
});

describe("shortenName", () => {
  it("keeps short names unchanged", () => {
    expect(shortenName("dev-app-db", 63)).toBe("dev-app-db");
  });

  it("keeps whole tokens, appends a hash of the full name and keeps the suffix", () => {
    const long = `dev-${"orders-".repeat(15)}queue.fifo`;
    const short = shortenName(long, 80, ".fifo");
    expect(short).toMatch(/^dev-(orders-)+[0-9a-f]{8}\.fifo$/);
    expect(short.length).toBeLessThanOrEqual(80);
  });

  it("is deterministic, fits the limit, and tells apart long names that share a prefix", () => {
    const token = fc.constantFrom("dev", "app", "orders", "db", "queue", "acme", "state");
    fc.assert(
      fc.property(
        fc.array(token, { minLength: 1, maxLength: 40 }),
        fc.array(token, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 20, max: 100 }),
        (a, b, max) => {
          const x = a.join("-");
          const y = b.join("-");
          const sx = shortenName(x, max);
          expect(sx.length).toBeLessThanOrEqual(max);
          expect(shortenName(x, max)).toBe(sx);
          if (x !== y && x.length > max && y.length > max) expect(sx).not.toBe(shortenName(y, max));
          expect(checker().check({ file: "f", name: sx, target: "generic" })).toEqual([]);
        },
      ),
    );
  });
});
