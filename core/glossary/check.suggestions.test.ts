import { describe, expect, it } from "vitest";
import { NameChecker, type NameUse } from "./check.ts";
import { parseGlossary } from "./parse.ts";
import { shortenName } from "./shorten.ts";
import { checkLimits, type NameTarget, TARGETS } from "./targets.ts";
import { parseFixtureGlossary } from "./test/fixture-glossary.ts";

const check = (name: string, target: NameTarget = "generic", extra: Partial<NameUse> = {}) =>
  new NameChecker(parseFixtureGlossary()).check({ file: "f", name, target, ...extra });

/** The suggestion given for one limit rule of a name. */
const limitFix = (name: string, target: NameTarget, rule: string) => {
  const finding = check(name, target).find((f) => f.rule === rule);
  if (!finding) throw new Error(`no ${rule} finding for ${name}`);
  return finding.suggestion;
};

describe("the fix suggested for each limit", () => {
  it.each<[NameTarget, string]>([
    ["iam-role", `dev-${"app-".repeat(15)}role`],
    ["alb", "dev-app-orders-queue-cluster-logs"],
    ["sqs-fifo-queue", `dev-${"app-".repeat(18)}queue.fifo`],
  ])("too long (%s): the name shortened with a hash, within the limit, suffix kept", (target, name) => {
    const { maxLength, requiredSuffix } = TARGETS[target];
    const fix = limitFix(name, target, "too-long");
    expect(fix).toBe(shortenName(name, maxLength, requiredSuffix));
    expect(fix?.length).toBeLessThanOrEqual(maxLength);
    expect(checkLimits(fix as string, target)).toEqual([]);
    if (requiredSuffix) expect(fix?.endsWith(requiredSuffix)).toBe(true);
  });

  it.each<[NameTarget, string, string, string]>([
    ["rds-identifier", "Dev-DB", "uppercase", "dev-db"],
    ["s3-bucket", "dev_app_logs", "underscore", "dev-app-logs"],
    ["rds-identifier", "dev--app---db", "double-hyphen", "dev-app-db"],
    ["rds-identifier", "dev-db--", "trailing-hyphen", "dev-db"],
    ["sqs-fifo-queue", "dev-orders-queue", "fifo-suffix", "dev-orders-queue.fifo"],
  ])("%s %s breaks %s: suggests %s", (target, name, rule, fix) => {
    expect(limitFix(name, target, rule)).toBe(fix);
  });

  it("a limit without a mechanical fix suggests nothing", () => {
    const finding = check("dev-app-db!", "alb").find((f) => f.rule === "invalid-characters");
    expect(finding).toBeDefined();
    expect(finding).not.toHaveProperty("suggestion");
  });

  it("the message names the address, target and name, and the line only when known", () => {
    const [finding] = check("Dev-db", "rds-identifier", { address: "aws_db_instance.x", line: 4 });
    expect(finding).toEqual({
      file: "f",
      line: 4,
      name: "Dev-db",
      target: "rds-identifier",
      rule: "uppercase",
      message: "aws_db_instance.x: rds-identifier name 'Dev-db' must be lowercase",
      suggestion: "dev-db",
    });
    expect(check("Dev-db", "rds-identifier")[0]).not.toHaveProperty("line");
    expect(check("Dev-db", "rds-identifier")[0]?.message).toBe(
      "rds-identifier name 'Dev-db' must be lowercase",
    );
  });

  it("a partial name (with references) is not held to limits, but its written words are checked", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform reference, on purpose
    expect(check("Dev_${var.x}_ordrs", "s3-bucket", { partial: true }).map((f) => f.rule)).toEqual([
      "unknown-token",
    ]);
  });
});

describe("affixes AWS requires", () => {
  it("strips alias/ only from KMS aliases", () => {
    expect(check("alias/dev-app-db", "kms-alias")).toEqual([]);
    expect(check("alias/dev-app-db", "generic").map((f) => f.message)).toEqual([
      "'alias/dev-app-db': 'alias' is not a glossary term. Use a term from glossary.md or add one there.",
    ]);
    expect(check("dev-alias-db", "kms-alias").map((f) => f.message)).toEqual([
      "'dev-alias-db': 'alias' is not a glossary term. Use a term from glossary.md or add one there.",
    ]);
  });

  it("strips .fifo only at the end", () => {
    expect(check("dev-orders.fifo", "sns-topic")).toEqual([]);
    expect(check("dev.fifo-orders", "generic").map((f) => f.message)).toEqual([
      "'dev.fifo-orders': 'fifo' is not a glossary term. Use a term from glossary.md or add one there.",
    ]);
  });

  it("an external name is accepted whole, whatever its case, and only whole", () => {
    expect(check("Kube-System", "generic")).toEqual([]);
    expect(check("kube-system-app", "generic").map((f) => f.message)).toEqual([
      "'kube-system-app': 'kube', 'system' are not glossary terms. Use terms from glossary.md or add them there.",
    ]);
  });
});

describe("tokens", () => {
  it("a one-token name that looks like a hash is an unknown token, not a shortening hash", () => {
    expect(check("3fa9c0d1").map((f) => f.rule)).toEqual(["unknown-token"]);
    expect(check("dev-3fa9c0d1")).toEqual([]);
    expect(check("dev-3fa9c0d").map((f) => f.rule)).toEqual(["unknown-token"]);
    expect(check("dev-12345678")).toEqual([]);
  });

  it("the same bad token twice in one name is reported once; two bad tokens in one finding, each once", () => {
    expect(check("dev-ordrs-app-ordrs").map((f) => [f.rule, f.suggestion])).toEqual([
      ["unknown-token", "dev-orders-app-ordrs"],
    ]);
    expect(check("live-ordrs-live").map((f) => f.rule)).toEqual(["deprecated-synonym", "unknown-token"]);
    expect(check("dev-qqq-zzz-qqq").map((f) => [f.message, f.suggestion])).toEqual([
      [
        "'dev-qqq-zzz-qqq': 'qqq', 'zzz' are not glossary terms. Use terms from glossary.md or add them there.",
        undefined,
      ],
    ]);
    expect(check("dev-qqq-zzz")[0]).not.toHaveProperty("suggestion");
    expect(check("dev-ordrs-qqq-ordrs").map((f) => [f.message, f.suggestion])).toEqual([
      [
        "'dev-ordrs-qqq-ordrs': 'ordrs', 'qqq' are not glossary terms; did you mean 'orders' for 'ordrs'? Use terms from glossary.md or add them there.",
        "dev-orders-qqq-ordrs",
      ],
    ]);
  });

  it("an unknown token without a close term gets no suggestion", () => {
    expect(check("dev-qqq")[0]).not.toHaveProperty("suggestion");
  });

  it("names every close term, the closest first", () => {
    const [finding] = check("dev-aps");
    expect(finding?.message).toBe(
      "'dev-aps': 'aps' is not a glossary term; did you mean 'app' (or 'aws')? Use a term from glossary.md or add one there.",
    );
    expect(finding?.suggestion).toBe("dev-app");
  });

  it("the deprecated-synonym message names the term", () => {
    expect(check("prd-app", "generic", { address: "x.y" })[0]?.message).toBe(
      "x.y: 'prd-app' uses 'prd', a deprecated synonym of the glossary term 'prod'.",
    );
  });

  it("tokens can be switched on for a target that skips them, and off for one that checks them", () => {
    expect(check("ordrs", "tag-value", { tokens: true }).map((f) => f.rule)).toEqual(["unknown-token"]);
    expect(check("ordrs", "generic", { tokens: false })).toEqual([]);
  });
});

describe("regions, zone ids and AWS-fixed log group names", () => {
  const messages = (name: string, target: NameTarget = "generic") =>
    check(name, target).map((f) => f.message);

  it("takes out a region or zone id anywhere in a name, then still reports the unknown tokens around it", () => {
    expect(check("dev-us-east-1-db")).toEqual([]);
    expect(check("dev-us-east-12")).toEqual([]);
    expect(check("dev-use1-az1-db")).toEqual([]);
    expect(check("dev-use12-az1")).toEqual([]);
    expect(check("dev-use1-az12")).toEqual([]);
    expect(messages("ordrs-us-east-1")).toEqual([
      "'ordrs-us-east-1': 'ordrs' is not a glossary term; did you mean 'orders'? Use a term from glossary.md or add one there.",
    ]);
    expect(messages("dev-ordrs-use1-az1")).toEqual([
      "'dev-ordrs-use1-az1': 'ordrs' is not a glossary term; did you mean 'orders'? Use a term from glossary.md or add one there.",
    ]);
  });

  it("checks only the identifier of an AWS-fixed log group name, and only a whole one of a log group", () => {
    expect(check("/aws/rds/instance/dev-db/error", "log-group")).toEqual([]);
    expect(messages("/aws/rds/instance/dev-ordrs/error", "log-group")).toEqual([
      "'/aws/rds/instance/dev-ordrs/error': 'ordrs' is not a glossary term; did you mean 'orders'? Use a term from glossary.md or add one there.",
    ]);
    for (const name of ["/x/aws/rds/instance/dev-db/error", "/aws/rds/instance/dev-db/error/x"]) {
      expect(
        check(name, "log-group").map((f) => f.rule),
        name,
      ).toContain("unknown-token");
    }
    expect(check("/aws/rds/instance/dev-db/error", "generic").map((f) => f.rule)).toContain("unknown-token");
  });
});

describe("suggestions keep camelCase token boundaries", () => {
  // Each name has one unknown token; where its text also occurs inside another token (a term here, since
  // numbers, short and unknown runs are tokens of their own), the suggestion must replace the token itself.
  it.each([
    ["devOrdrsQueue", "ordrs", "devordersQueue"],
    ["ordersOrder", "order", "ordersorders"],
    ["s3Ordrs", "ordrs", "s3orders"],
    ["order_orders", "order", "orders_orders"],
    ["DBOrdrs", "ordrs", "DBorders"],
    // No occurrence stands as a whole token: the first one is replaced.
    ["DBOrdrsXOrdrs", "ordrs", "DBordersXOrdrs"],
    ["OrdersDBOrder", "order", "orderssDBOrder"],
  ])("%s: replaces the token %s where it starts a token", (name, token, suggestion) => {
    const findings = check(name).filter((f) => f.rule === "unknown-token");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(`'${token}'`);
    expect(findings[0]?.suggestion).toBe(suggestion);
  });
});

describe("deprecated synonyms in prose", () => {
  const text = (line: string) => new NameChecker(parseFixtureGlossary()).checkText(line, "doc.md");

  it("skips a synonym inside a URL, and finds it next to one", () => {
    const found = text(
      "production: see https://example.com/production/prd?x=production, git+ssh://prd.example/x and HTTPS://PRD.EXAMPLE then prd",
    );
    expect(found.map((f) => f.name)).toEqual(["production", "prd"]);
  });

  it("skips a URL at the start of a line", () => {
    expect(text("https://prd.example/production")).toEqual([]);
  });

  it("reads CRLF lines, numbers them from 1, and uses the target it is given", () => {
    const found = new NameChecker(parseFixtureGlossary()).checkText(
      "ok\r\nprd here",
      "pr-title",
      "pull-request-title",
    );
    expect(found).toEqual([
      {
        file: "pr-title",
        line: 2,
        name: "prd",
        target: "pull-request-title",
        rule: "deprecated-synonym",
        message: "'prd' is a deprecated synonym of the glossary term 'prod'",
        suggestion: "prod",
      },
    ]);
    expect(text("prd")[0]?.target).toBe("text");
  });

  it("an ignore block ends at its end marker, and the end marker line itself is skipped", () => {
    const found = text(["prd", "glossary-ignore-start", "prd", "glossary-ignore-end prd", "prd"].join("\n"));
    expect(found.map((f) => f.line)).toEqual([1, 5]);
  });
});

describe("token verdicts", () => {
  it("digits alone are fine; digits next to letters are not a pass", () => {
    expect(check("dev-2026")).toEqual([]);
    expect(check("dev-ordrs2").map((f) => f.rule)).toEqual(["unknown-token"]);
    expect(check("dev-2ordrs").map((f) => f.rule)).toEqual(["unknown-token"]);
  });

  it("says whether a deprecated synonym is deprecated in names only, and caches the verdict", () => {
    const checker = new NameChecker(parseFixtureGlossary());
    const live = checker.token("live");
    expect(live).toMatchObject({ kind: "deprecated", namesOnly: true });
    expect(live.kind === "deprecated" && live.replacement.term).toBe("prod");
    expect(checker.token("prd")).toMatchObject({ kind: "deprecated", namesOnly: false });
    expect(checker.token("live")).toBe(live);
    expect(checker.token("prod")).toEqual({ kind: "ok" });
  });

  it("suggests a term once when the token is close to it and to its synonym", () => {
    // 'prdo' is one edit from 'prod' and one from its synonym 'prd'.
    expect(check("dev-prdo")[0]?.message).toBe(
      "'dev-prdo': 'prdo' is not a glossary term; did you mean 'prod'? Use a term from glossary.md or add one there.",
    );
  });

  it("names at most three close terms, closest and then alphabetical first", () => {
    const rows = ["cat", "car", "cap", "can", "cave"]
      .map((t) => `| ${t} | — | resource | A ${t}. | @org/platform | — |`)
      .join("\n");
    const glossary = parseGlossary(
      `# G\n\nOwners: @org/platform\n\n| Term | Short form | Kind | Definition | Owner | Deprecated synonyms |\n|---|---|---|---|---|---|\n${rows}\n`,
      "glossary.md",
    );
    const [finding] = new NameChecker(glossary).check({ file: "f", name: "caz", target: "generic" });
    expect(finding?.message).toBe(
      "'caz': 'caz' is not a glossary term; did you mean 'can' (or 'cap', 'car')? Use a term from glossary.md or add one there.",
    );
  });

  it("an external name is still held to the target's limits", () => {
    expect(check("Kube-System", "k8s-namespace").map((f) => f.rule)).toEqual(["dns-label"]);
  });
});
