import { describe, expect, it } from "vitest";
import { checkLimits, isNameTarget, type NameTarget, TARGETS } from "./targets.ts";

/** Every violation of a name, as `rule: message`. */
const violations = (name: string, target: NameTarget) =>
  checkLimits(name, target).map((v) => `${v.rule}: ${v.message}`);

describe("length limits of each target", () => {
  // The documented limits: [target, maximum, minimum].
  const limits: [NameTarget, number, number][] = [
    ["generic", 255, 1],
    ["iam-role", 64, 1],
    ["iam-policy", 128, 1],
    ["sqs-queue", 80, 1],
    ["sqs-fifo-queue", 80, 1],
    ["rds-identifier", 63, 1],
    ["eks-cluster", 100, 1],
    ["eks-node-group", 63, 1],
    ["s3-bucket", 63, 3],
    ["alb", 32, 1],
    ["target-group", 32, 1],
    ["cognito-user-pool", 128, 1],
    ["cognito-client", 128, 1],
    ["k8s-namespace", 63, 1],
    ["k8s-name", 253, 1],
    ["k8s-label-value", 63, 0],
    ["helm-release", 53, 1],
    ["ecr-repository", 256, 2],
    ["log-group", 512, 1],
    ["kms-alias", 256, 1],
    ["sns-topic", 256, 1],
    ["security-group", 255, 1],
    ["secret", 512, 1],
    ["tag-key", 128, 1],
    ["tag-value", 256, 0],
  ];

  it("lists every target once", () => {
    expect(limits.map(([t]) => t).sort()).toEqual(Object.keys(TARGETS).sort());
  });

  it.each(limits)("%s: at most %i characters", (target, max) => {
    const suffix = target === "sqs-fifo-queue" ? ".fifo" : "";
    const fits = "a".repeat(max - suffix.length) + suffix;
    expect(violations(fits, target)).toEqual([]);
    expect(violations(`a${fits}`, target)).toEqual([
      `too-long: is ${max + 1} characters, the limit is ${max}`,
    ]);
  });

  it.each(limits)("%s: at least %i characters", (target, _max, min) => {
    const rule = (name: string) => checkLimits(name, target).filter((v) => v.rule === "too-short");
    expect(rule("a".repeat(min))).toEqual([]);
    if (min > 0) {
      expect(rule("a".repeat(min - 1))).toEqual([
        { rule: "too-short", message: `is ${min - 1} characters, the minimum is ${min}` },
      ]);
    }
  });
});

describe("character and shape rules of each target", () => {
  // [target, name, every violation]; a valid name of each target uses the characters its message lists.
  const cases: [NameTarget, string, string[]][] = [
    ["generic", "Dev.app_x-1/a:b@c+d=e,f", []],
    ["generic", "dev app", ["invalid-characters: may contain only letters, digits and . _ - / : @ + = ,"]],
    ["iam-role", "Dev+app=x,y.z@w_v-1", []],
    ["iam-role", "dev/role", ["invalid-characters: may contain only letters, digits and + = , . @ _ -"]],
    ["iam-policy", "Dev+app=x,y.z@w_v-1", []],
    ["iam-policy", "dev/policy", ["invalid-characters: may contain only letters, digits and + = , . @ _ -"]],
    ["sqs-queue", "Dev_app-1", []],
    ["sqs-queue", "dev.queue", ["invalid-characters: may contain only letters, digits, '-' and '_'"]],
    ["sqs-fifo-queue", "Dev_app-1.fifo", []],
    ["sqs-fifo-queue", "dev-queue", ["fifo-suffix: must end with '.fifo' (a FIFO queue)"]],
    [
      "sqs-fifo-queue",
      "dev.x.fifo",
      ["invalid-characters: may contain only letters, digits, '-' and '_' (then '.fifo')"],
    ],
    [
      "sqs-fifo-queue",
      "dev.fifo-x",
      [
        "fifo-suffix: must end with '.fifo' (a FIFO queue)",
        "invalid-characters: may contain only letters, digits, '-' and '_' (then '.fifo')",
      ],
    ],
    ["rds-identifier", "dev-db-1", []],
    [
      "rds-identifier",
      "Dev-db",
      [
        "uppercase: must be lowercase",
        "invalid-characters: may contain only lowercase letters, digits and '-'",
      ],
    ],
    ["rds-identifier", "dev_db", ["invalid-characters: may contain only lowercase letters, digits and '-'"]],
    ["rds-identifier", "1dev", ["must-start-with-letter: must start with a letter"]],
    ["rds-identifier", "dev--db", ["double-hyphen: must not contain '--'"]],
    ["rds-identifier", "dev-db-", ["trailing-hyphen: must not end with '-'"]],
    ["eks-cluster", "Dev_app-1", []],
    ["eks-cluster", "1dev", []],
    ["eks-cluster", "dev.x", ["invalid-characters: may contain only letters, digits, '-' and '_'"]],
    ["eks-cluster", "-dev", ["invalid-ends: must start with a letter or digit"]],
    ["eks-node-group", "Dev_app-1", []],
    ["eks-node-group", "a", []],
    ["eks-node-group", "", ["too-short: is 0 characters, the minimum is 1"]],
    ["eks-node-group", "dev.x", ["invalid-characters: may contain only letters, digits, '-' and '_'"]],
    ["eks-node-group", "-dev", ["invalid-ends: must start and end with a letter or digit"]],
    ["eks-node-group", "dev_", ["invalid-ends: must start and end with a letter or digit"]],
    ["s3-bucket", "dev.state-1", []],
    ["s3-bucket", "1.2.3", []],
    ["s3-bucket", "1234.1.1.1", []],
    ["s3-bucket", "1.1.1.1234", []],
    ["s3-bucket", "1.1.1.1.1", []],
    ["s3-bucket", "192.168.1.1", ["ip-address: must not look like an IP address"]],
    ["s3-bucket", "10.0.0.255", ["ip-address: must not look like an IP address"]],
    [
      "s3-bucket",
      "Dev-state",
      [
        "uppercase: must be lowercase",
        "invalid-characters: may contain only lowercase letters, digits, '.' and '-'",
      ],
    ],
    [
      "s3-bucket",
      "dev_state",
      [
        "underscore: must not contain '_'",
        "invalid-characters: may contain only lowercase letters, digits, '.' and '-'",
      ],
    ],
    ["s3-bucket", "-dev", ["invalid-ends: must start and end with a letter or digit"]],
    ["s3-bucket", "dev.", ["invalid-ends: must start and end with a letter or digit"]],
    ["s3-bucket", "dev..state", ["double-dot: must not contain '..'"]],
    ["s3-bucket", "xn--dev", ["reserved-prefix: must not start with the reserved prefix 'xn--'"]],
    ["s3-bucket", "sthree-dev", ["reserved-prefix: must not start with the reserved prefix 'sthree-'"]],
    [
      "s3-bucket",
      "amzn-s3-demo-dev",
      ["reserved-prefix: must not start with the reserved prefix 'amzn-s3-demo-'"],
    ],
    ["s3-bucket", "dev-s3alias", ["reserved-suffix: must not end with the reserved suffix '-s3alias'"]],
    ["s3-bucket", "dev--ol-s3", ["reserved-suffix: must not end with the reserved suffix '--ol-s3'"]],
    ["s3-bucket", "dev.mrap", ["reserved-suffix: must not end with the reserved suffix '.mrap'"]],
    ["s3-bucket", "dev--x-s3", ["reserved-suffix: must not end with the reserved suffix '--x-s3'"]],
    ["s3-bucket", "dev--table-s3", ["reserved-suffix: must not end with the reserved suffix '--table-s3'"]],
    ["alb", "Dev-lb-1", []],
    ["alb", "dev_lb", ["invalid-characters: may contain only letters, digits and '-'"]],
    ["alb", "dev-", ["invalid-ends: must start and end with a letter or digit"]],
    ["alb", "Internal-lb", ["reserved-prefix: must not start with the reserved prefix 'internal-'"]],
    ["target-group", "Dev-tg-1", []],
    ["target-group", "dev.tg", ["invalid-characters: may contain only letters, digits and '-'"]],
    ["target-group", "-tg", ["invalid-ends: must start and end with a letter or digit"]],
    ["cognito-user-pool", "Dev pool+=,.@_-1", []],
    [
      "cognito-user-pool",
      "dev/pool",
      ["invalid-characters: may contain only letters, digits, spaces and + = , . @ _ -"],
    ],
    ["cognito-client", "Dev client+=,.@_-1", []],
    [
      "cognito-client",
      "dev/client",
      ["invalid-characters: may contain only letters, digits, spaces and + = , . @ _ -"],
    ],
    ["k8s-namespace", "dev-app-1", []],
    ["k8s-namespace", "a", []],
    ...(["Dev", "-dev", "dev-", "dev.app", "dev_app"].map((name) => [
      "k8s-namespace",
      name,
      ["dns-label: must be a DNS label: lowercase letters, digits and '-', alphanumeric ends"],
    ]) as [NameTarget, string, string[]][]),
    ["k8s-name", "dev-app.orders-1.x", []],
    ["k8s-name", "a", []],
    ["k8s-name", "a.b", []],
    ...(["Dev", "dev_app", "dev.", ".dev", "-dev", "dev-", "dev.-x", "dev..x"].map((name) => [
      "k8s-name",
      name,
      ["dns-subdomain: must be a DNS subdomain: lowercase letters, digits, '-' and '.'"],
    ]) as [NameTarget, string, string[]][]),
    ["k8s-label-value", "", []],
    ["k8s-label-value", "a", []],
    ["k8s-label-value", "Dev_app.x-1", []],
    ...(["-dev", "dev.", "dev/x", "_dev"].map((name) => [
      "k8s-label-value",
      name,
      ["label-value: must be empty or letters, digits, '-', '_' and '.' with alphanumeric ends"],
    ]) as [NameTarget, string, string[]][]),
    ["helm-release", "dev-app.x", []],
    [
      "helm-release",
      "Dev",
      ["dns-subdomain: must be lowercase letters, digits, '-' and '.', alphanumeric ends"],
    ],
    ["ecr-repository", "team/dev-app_x.y", []],
    ["ecr-repository", "a/b/c", []],
    ["ecr-repository", "dev-team.x1/app", []],
    ["ecr-repository", "ab", []],
    ["ecr-repository", "abc-de", []],
    ...(["dev//app", "dev-", "-dev", "/dev", "dev/", "dev--app", "dev app"].map((name) => [
      "ecr-repository",
      name,
      [
        "invalid-characters: may contain only lowercase words joined by '.', '_' or '-', optionally in '/' namespaces",
      ],
    ]) as [NameTarget, string, string[]][]),
    [
      "ecr-repository",
      "Dev",
      [
        "uppercase: must be lowercase",
        "invalid-characters: may contain only lowercase words joined by '.', '_' or '-', optionally in '/' namespaces",
      ],
    ],
    ["log-group", "/aws/Dev_app-1.x#y", []],
    ["log-group", "dev:app", ["invalid-characters: may contain only letters, digits and . - _ / #"]],
    ["kms-alias", "alias/Dev_app-1", []],
    ["kms-alias", "alias/dev.app", ["invalid-characters: may contain only letters, digits and / _ -"]],
    ["kms-alias", "alias/aws/x", ["reserved-prefix: must not start with the reserved prefix 'alias/aws/'"]],
    ["kms-alias", "ALIAS/AWS/x", ["reserved-prefix: must not start with the reserved prefix 'alias/aws/'"]],
    ["kms-alias", "aws/x", ["reserved-prefix: must not start with the reserved prefix 'aws/'"]],
    ["sns-topic", "Dev_app-1", []],
    ["sns-topic", "dev-topic.fifo", []],
    [
      "sns-topic",
      "dev.topic",
      ["invalid-characters: may contain only letters, digits, '-' and '_' (FIFO topics end in '.fifo')"],
    ],
    [
      "sns-topic",
      "dev.fifo-x",
      ["invalid-characters: may contain only letters, digits, '-' and '_' (FIFO topics end in '.fifo')"],
    ],
    ["security-group", "Dev sg ._-:/()#,@[]+=&;{}!$*", []],
    [
      "security-group",
      "dev%sg",
      ["invalid-characters: may contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"],
    ],
    ["security-group", "sg-dev", ["reserved-prefix: must not start with the reserved prefix 'sg-'"]],
    ["security-group", "SG-dev", ["reserved-prefix: must not start with the reserved prefix 'sg-'"]],
    ["secret", "dev/App_x+y=z.w@v-1", []],
    ["secret", "dev app", ["invalid-characters: may contain only letters, digits and / _ + = . @ -"]],
    ["tag-key", "Owner Team_x.y:z/w=v+u-t@s1", []],
    ["tag-key", "Größe", []],
    [
      "tag-key",
      "dev#x",
      ["invalid-characters: may contain only letters, digits, spaces and _ . : / = + - @"],
    ],
    ["tag-key", "aws:x", ["reserved-prefix: must not start with the reserved prefix 'aws:'"]],
    ["tag-key", "AWS:x", ["reserved-prefix: must not start with the reserved prefix 'aws:'"]],
    ["tag-value", "", []],
    ["tag-value", "Größe 1 a_b.c:d/e=f+g-h@i", []],
    [
      "tag-value",
      "dev#x",
      ["invalid-characters: may contain only letters, digits, spaces and _ . : / = + - @"],
    ],
  ];

  it.each(cases)("%s '%s'", (target, name, expected) => {
    expect(violations(name, target)).toEqual(expected);
  });
});

describe("isNameTarget", () => {
  it("knows the targets and nothing inherited", () => {
    expect(isNameTarget("s3-bucket")).toBe(true);
    expect(isNameTarget("bucket")).toBe(false);
    expect(isNameTarget("toString")).toBe(false);
  });
});
