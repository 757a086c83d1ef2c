/**
 * Per-target limits for length and characters, from the AWS, Kubernetes and Helm documentation.
 * Each target lists its rules; `checkLimits` applies them and returns every one a name breaks.
 */

/**
 * The kinds of AWS/Kubernetes name a construct builds. Each has its own length and character limits;
 * `generic` is for names AWS constrains only loosely (parameter groups, SSM parameters, alarms).
 */
export type NameTarget =
  | "generic"
  | "iam-role"
  | "iam-policy"
  | "sqs-queue"
  | "sqs-fifo-queue"
  | "rds-identifier"
  | "eks-cluster"
  | "eks-node-group"
  | "s3-bucket"
  | "alb"
  | "target-group"
  | "cognito-user-pool"
  | "cognito-client"
  | "k8s-namespace"
  | "k8s-name"
  | "k8s-label-value"
  | "helm-release"
  | "ecr-repository"
  | "log-group"
  | "kms-alias"
  | "sns-topic"
  | "security-group"
  | "secret"
  | "tag-key"
  | "tag-value";

export interface LimitViolation {
  readonly rule: string;
  readonly message: string;
}

export interface TargetSpec {
  readonly maxLength: number;
  readonly minLength: number;
  /** A suffix the name must keep when shortened (`.fifo`). */
  readonly requiredSuffix?: string;
  /** Whether names of this target are built from glossary tokens (tag keys are not). */
  readonly glossaryTokens: boolean;
  readonly rules: readonly ((name: string) => LimitViolation | undefined)[];
}

const chars =
  (pattern: { test(name: string): boolean }, allowed: string) =>
  (name: string): LimitViolation | undefined =>
    pattern.test(name) ? undefined : { rule: "invalid-characters", message: `may contain only ${allowed}` };

const lowercase = (name: string): LimitViolation | undefined =>
  /[A-Z]/.test(name) ? { rule: "uppercase", message: "must be lowercase" } : undefined;

const noUnderscore = (name: string): LimitViolation | undefined =>
  name.includes("_") ? { rule: "underscore", message: "must not contain '_'" } : undefined;

const startsWithLetter = (name: string): LimitViolation | undefined =>
  /^[A-Za-z]/.test(name)
    ? undefined
    : { rule: "must-start-with-letter", message: "must start with a letter" };

const alnumEnds = (name: string): LimitViolation | undefined =>
  name === "" || /^[A-Za-z0-9](.*[A-Za-z0-9])?$/.test(name)
    ? undefined
    : { rule: "invalid-ends", message: "must start and end with a letter or digit" };

const noDoubleHyphen = (name: string): LimitViolation | undefined =>
  name.includes("--") ? { rule: "double-hyphen", message: "must not contain '--'" } : undefined;

const noTrailingHyphen = (name: string): LimitViolation | undefined =>
  name.endsWith("-") ? { rule: "trailing-hyphen", message: "must not end with '-'" } : undefined;

const reservedPrefix =
  (...prefixes: string[]) =>
  (name: string): LimitViolation | undefined => {
    const hit = prefixes.find((p) => name.toLowerCase().startsWith(p));
    return hit
      ? { rule: "reserved-prefix", message: `must not start with the reserved prefix '${hit}'` }
      : undefined;
  };

const reservedSuffix =
  (...suffixes: string[]) =>
  (name: string): LimitViolation | undefined => {
    const hit = suffixes.find((s) => name.endsWith(s));
    return hit
      ? { rule: "reserved-suffix", message: `must not end with the reserved suffix '${hit}'` }
      : undefined;
  };

const fifoSuffix = (name: string): LimitViolation | undefined =>
  name.endsWith(".fifo")
    ? undefined
    : { rule: "fifo-suffix", message: "must end with '.fifo' (a FIFO queue)" };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const spec = (
  maxLength: number,
  rules: TargetSpec["rules"],
  extra: Partial<Omit<TargetSpec, "maxLength" | "rules">> = {},
): TargetSpec => ({ maxLength, minLength: 1, glossaryTokens: true, rules, ...extra });

export const TARGETS: Readonly<Record<NameTarget, TargetSpec>> = {
  generic: spec(255, [chars(/^[A-Za-z0-9._\-/:@+=,]*$/, "letters, digits and . _ - / : @ + = ,")]),
  "iam-role": spec(64, [chars(/^[\w+=,.@-]*$/, "letters, digits and + = , . @ _ -")]),
  "iam-policy": spec(128, [chars(/^[\w+=,.@-]*$/, "letters, digits and + = , . @ _ -")]),
  "sqs-queue": spec(80, [chars(/^[A-Za-z0-9_-]*$/, "letters, digits, '-' and '_'")]),
  "sqs-fifo-queue": spec(
    80,
    [
      fifoSuffix,
      (n) =>
        chars(/^[A-Za-z0-9_-]*$/, "letters, digits, '-' and '_' (then '.fifo')")(n.replace(/\.fifo$/, "")),
    ],
    { requiredSuffix: ".fifo" },
  ),
  "rds-identifier": spec(63, [
    lowercase,
    chars(/^[a-z0-9-]*$/, "lowercase letters, digits and '-'"),
    startsWithLetter,
    noDoubleHyphen,
    noTrailingHyphen,
  ]),
  "eks-cluster": spec(100, [
    chars(/^[A-Za-z0-9_-]*$/, "letters, digits, '-' and '_'"),
    (n) =>
      /^[A-Za-z0-9]/.test(n)
        ? undefined
        : { rule: "invalid-ends", message: "must start with a letter or digit" },
  ]),
  "eks-node-group": spec(63, [chars(/^[A-Za-z0-9_-]*$/, "letters, digits, '-' and '_'"), alnumEnds]),
  "s3-bucket": spec(
    63,
    [
      lowercase,
      noUnderscore,
      chars(/^[a-z0-9.-]*$/, "lowercase letters, digits, '.' and '-'"),
      alnumEnds,
      (n) => (n.includes("..") ? { rule: "double-dot", message: "must not contain '..'" } : undefined),
      (n) =>
        /^\d{1,3}(\.\d{1,3}){3}$/.test(n)
          ? { rule: "ip-address", message: "must not look like an IP address" }
          : undefined,
      reservedPrefix("xn--", "sthree-", "amzn-s3-demo-"),
      reservedSuffix("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"),
    ],
    { minLength: 3 },
  ),
  alb: spec(32, [
    chars(/^[A-Za-z0-9-]*$/, "letters, digits and '-'"),
    alnumEnds,
    reservedPrefix("internal-"),
  ]),
  "target-group": spec(32, [chars(/^[A-Za-z0-9-]*$/, "letters, digits and '-'"), alnumEnds]),
  "cognito-user-pool": spec(128, [chars(/^[\w\s+=,.@-]*$/, "letters, digits, spaces and + = , . @ _ -")]),
  "cognito-client": spec(128, [chars(/^[\w\s+=,.@-]*$/, "letters, digits, spaces and + = , . @ _ -")]),
  "k8s-namespace": spec(63, [
    (n) =>
      DNS_LABEL.test(n)
        ? undefined
        : {
            rule: "dns-label",
            message: "must be a DNS label: lowercase letters, digits and '-', alphanumeric ends",
          },
  ]),
  "k8s-name": spec(253, [
    (n) =>
      DNS_SUBDOMAIN.test(n)
        ? undefined
        : {
            rule: "dns-subdomain",
            message: "must be a DNS subdomain: lowercase letters, digits, '-' and '.'",
          },
  ]),
  "k8s-label-value": spec(
    63,
    [
      (n) =>
        n === "" || /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(n)
          ? undefined
          : {
              rule: "label-value",
              message: "must be empty or letters, digits, '-', '_' and '.' with alphanumeric ends",
            },
    ],
    { minLength: 0 },
  ),
  "helm-release": spec(53, [
    (n) =>
      DNS_SUBDOMAIN.test(n)
        ? undefined
        : {
            rule: "dns-subdomain",
            message: "must be lowercase letters, digits, '-' and '.', alphanumeric ends",
          },
  ]),
  "ecr-repository": spec(
    256,
    [
      lowercase,
      chars(
        // Runs of lowercase letters and digits, each pair joined by one '.', '_', '-' or '/'. Split, not one regular
        // expression, so that no edit of it can backtrack exponentially on a long name.
        { test: (n) => n.split(/[._/-]/).every((run) => /^[a-z0-9]+$/.test(run)) },
        "lowercase words joined by '.', '_' or '-', optionally in '/' namespaces",
      ),
    ],
    { minLength: 2 },
  ),
  "log-group": spec(512, [chars(/^[.\-_/#A-Za-z0-9]*$/, "letters, digits and . - _ / #")]),
  "kms-alias": spec(256, [
    chars(/^[A-Za-z0-9/_-]*$/, "letters, digits and / _ -"),
    reservedPrefix("alias/aws/", "aws/"),
  ]),
  "sns-topic": spec(256, [
    (n) =>
      chars(
        /^[A-Za-z0-9_-]*$/,
        "letters, digits, '-' and '_' (FIFO topics end in '.fifo')",
      )(n.replace(/\.fifo$/, "")),
  ]),
  "security-group": spec(255, [
    chars(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/, "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"),
    reservedPrefix("sg-"),
  ]),
  secret: spec(512, [chars(/^[A-Za-z0-9/_+=.@-]*$/, "letters, digits and / _ + = . @ -")]),
  "tag-key": spec(
    128,
    [
      chars(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "letters, digits, spaces and _ . : / = + - @"),
      reservedPrefix("aws:"),
    ],
    { glossaryTokens: false },
  ),
  "tag-value": spec(
    256,
    [chars(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, "letters, digits, spaces and _ . : / = + - @")],
    { minLength: 0, glossaryTokens: false },
  ),
};

export function isNameTarget(value: string): value is NameTarget {
  return Object.hasOwn(TARGETS, value);
}

/** Every limit `name` breaks for `target`: length first, then characters and shape. */
export function checkLimits(name: string, target: NameTarget): LimitViolation[] {
  const t = TARGETS[target];
  const out: LimitViolation[] = [];
  if (name.length > t.maxLength) {
    out.push({ rule: "too-long", message: `is ${name.length} characters, the limit is ${t.maxLength}` });
  }
  if (name.length < t.minLength) {
    out.push({ rule: "too-short", message: `is ${name.length} characters, the minimum is ${t.minLength}` });
  }
  for (const rule of t.rules) {
    const v = rule(name);
    if (v) out.push(v);
  }
  return out;
}
