import { describe, expect, it } from "vitest";
import type { ChangeSpec } from "../test/plans.ts";
import { iamChangeRule, policyRule } from "./iam.ts";
import { change, dataChange } from "./test/changes.ts";

const doc = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const trust = (service: string) =>
  doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
const EC2 = trust("ec2.amazonaws.com");
const LAMBDA = trust("lambda.amazonaws.com");

const iam = (spec: ChangeSpec) => iamChangeRule(change(spec)).map((f) => [f.rule, f.severity, f.reason]);
const policy = (spec: ChangeSpec) => policyRule(change(spec)).map((f) => [f.rule, f.severity, f.reason]);

describe("iamChangeRule", () => {
  it("any change to an aws_iam_ resource is a medium finding naming the change", () => {
    expect(
      iamChangeRule(
        change({ type: "aws_iam_policy", name: "p", actions: ["update"], before: {}, after: {} }),
      ),
    ).toEqual([
      {
        rule: "iam-change",
        severity: "medium",
        address: "aws_iam_policy.p",
        resourceType: "aws_iam_policy",
        reason: "IAM change: update of aws_iam_policy.",
      },
    ]);
    expect(iam({ type: "aws_iam_user", actions: ["delete"], before: { name: "u" } })).toEqual([
      ["iam-change", "medium", "IAM change: delete of aws_iam_user."],
    ]);
    expect(iam({ type: "aws_iam_role", actions: ["forget"], before: { assume_role_policy: EC2 } })).toEqual([
      ["iam-change", "medium", "IAM change: forget of aws_iam_role."],
    ]);
  });

  it("no finding for other types, data sources, no-ops, reads and moves", () => {
    expect(iam({ type: "aws_instance", actions: ["create"], after: {} })).toEqual([]);
    expect(iam({ type: "aws_s3_bucket_iam_thing", actions: ["create"], after: {} })).toEqual([]);
    expect(iam({ type: "xaws_iam_role", actions: ["create"], after: {} })).toEqual([]);
    expect(
      iamChangeRule(dataChange({ type: "aws_iam_policy_document", actions: ["read"], after: {} })),
    ).toEqual([]);
    expect(
      iamChangeRule(
        dataChange({ type: "aws_iam_role", actions: ["create"], after: { assume_role_policy: EC2 } }),
      ),
    ).toEqual([]);
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["no-op"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: EC2 },
      }),
    ).toEqual([]);
    expect(iam({ type: "aws_iam_role", actions: ["read"], after: { assume_role_policy: EC2 } })).toEqual([]);
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["no-op"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: EC2 },
        extra: { previous_address: "aws_iam_role.old" },
      }),
    ).toEqual([]);
  });

  it("a role whose trust policy changes is high; a new role asks who may assume it", () => {
    const trustChange = ["iam-trust", "high", "changes who may assume this role (assume_role_policy)."];
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["update"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: LAMBDA },
      }),
    ).toEqual([trustChange]);
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["delete", "create"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: LAMBDA },
      }),
    ).toEqual([trustChange]);
    expect(
      iam({ type: "aws_iam_role", actions: ["update"], before: {}, after: { assume_role_policy: LAMBDA } }),
    ).toEqual([trustChange]);
    expect(iam({ type: "aws_iam_role", actions: ["create"], after: { assume_role_policy: EC2 } })).toEqual([
      ["iam-change", "medium", "creates a role: review who may assume it (assume_role_policy)."],
    ]);
  });

  it("a role whose trust policy stays, is absent or is not a role's is a plain IAM change", () => {
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["update"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: EC2, name: "r" },
      }),
    ).toEqual([["iam-change", "medium", "IAM change: update of aws_iam_role."]]);
    expect(
      iam({
        type: "aws_iam_role",
        actions: ["update"],
        before: { assume_role_policy: EC2 },
        after: { name: "r" },
      }),
    ).toEqual([["iam-change", "medium", "IAM change: update of aws_iam_role."]]);
    expect(iam({ type: "aws_iam_role", actions: ["create"], after: { name: "r" } })).toEqual([
      ["iam-change", "medium", "IAM change: create of aws_iam_role."],
    ]);
    expect(
      iam({
        type: "aws_iam_policy",
        actions: ["update"],
        before: { assume_role_policy: EC2 },
        after: { assume_role_policy: LAMBDA },
      }),
    ).toEqual([["iam-change", "medium", "IAM change: update of aws_iam_policy."]]);
    expect(iam({ type: "aws_iam_role", actions: ["delete"], before: { assume_role_policy: EC2 } })).toEqual([
      ["iam-change", "medium", "IAM change: delete of aws_iam_role."],
    ]);
  });

  it("a new access key is high; other access key changes are medium", () => {
    expect(iam({ type: "aws_iam_access_key", actions: ["create"], after: { user: "u" } })).toEqual([
      ["iam-change", "high", "creates a long-lived IAM access key."],
    ]);
    expect(
      iam({ type: "aws_iam_access_key", actions: ["update"], before: { user: "u" }, after: { user: "v" } }),
    ).toEqual([["iam-change", "medium", "IAM change: update of aws_iam_access_key."]]);
    expect(
      iam({
        type: "aws_iam_access_key",
        actions: ["delete", "create"],
        before: { user: "u" },
        after: { user: "v" },
      }),
    ).toEqual([["iam-change", "medium", "IAM change: replace of aws_iam_access_key."]]);
    expect(iam({ type: "aws_iam_user", actions: ["create"], after: { name: "u" } })).toEqual([
      ["iam-change", "medium", "IAM change: create of aws_iam_user."],
    ]);
  });
});

const ADMIN = doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" });
const S3_ALL = doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" });

describe("policyRule", () => {
  it("each issue kind has its own rule and severity", () => {
    expect(
      policyRule(
        change({ type: "aws_iam_policy", name: "p", actions: ["create"], after: { policy: ADMIN } }),
      ),
    ).toEqual([
      {
        rule: "iam-wildcard",
        severity: "critical",
        address: "aws_iam_policy.p",
        resourceType: "aws_iam_policy",
        reason: 'policy: a statement allows every action ("*").',
      },
    ]);
    const created = (statement: Record<string, unknown>) =>
      policy({ type: "aws_iam_policy", actions: ["create"], after: { policy: doc(statement) } });
    expect(created({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" })).toEqual([
      ["iam-wildcard", "high", 'policy: a statement allows every s3 action ("s3:*").'],
    ]);
    expect(created({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" })).toEqual([
      [
        "iam-wildcard",
        "critical",
        "policy: a statement allows everything except the listed actions (NotAction).",
      ],
    ]);
    expect(created({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })).toEqual([
      ["iam-wildcard", "high", 'policy: a statement applies to every resource ("*").'],
    ]);
    expect(
      created({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" }),
    ).toEqual([
      ["public-exposure", "critical", 'policy: a statement allows any principal ("*") without a condition.'],
    ]);
    expect(created({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" })).toEqual([]);
  });

  it("reads policy, assume_role_policy, access_policies and each inline policy", () => {
    expect(
      policy({
        type: "aws_iam_role",
        actions: ["create"],
        after: {
          policy: S3_ALL,
          assume_role_policy: ADMIN,
          access_policies: S3_ALL,
          inline_policy: [{ name: "a", policy: S3_ALL }, { name: "b" }, { name: "c", policy: ADMIN }],
        },
      }).map(([, , reason]) => reason),
    ).toEqual([
      'policy: a statement allows every s3 action ("s3:*").',
      'assume_role_policy: a statement allows every action ("*").',
      'access_policies: a statement allows every s3 action ("s3:*").',
      'inline_policy[0].policy: a statement allows every s3 action ("s3:*").',
      'inline_policy[2].policy: a statement allows every action ("*").',
    ]);
    expect(
      policy({
        type: "aws_iam_role",
        actions: ["create"],
        after: { inline_policy: [{ name: "a", policy: ADMIN }] },
      }),
    ).toEqual([
      ["iam-wildcard", "critical", 'inline_policy[0].policy: a statement allows every action ("*").'],
    ]);
    expect(
      policy({ type: "aws_opensearch_domain", actions: ["create"], after: { access_policies: ADMIN } }),
    ).toEqual([["iam-wildcard", "critical", 'access_policies: a statement allows every action ("*").']]);
  });

  it("a document that did not change is not reported again, each path compared on its own", () => {
    expect(
      policy({
        type: "aws_iam_policy",
        actions: ["update"],
        before: { policy: ADMIN },
        after: { policy: ADMIN },
      }),
    ).toEqual([]);
    expect(
      policy({
        type: "aws_iam_role",
        actions: ["update"],
        before: { inline_policy: [{ policy: ADMIN }, { policy: S3_ALL }] },
        after: { inline_policy: [{ policy: S3_ALL }, { policy: S3_ALL }] },
      }),
    ).toEqual([
      ["iam-wildcard", "high", 'inline_policy[0].policy: a statement allows every s3 action ("s3:*").'],
    ]);
    expect(
      policy({
        type: "aws_iam_policy",
        actions: ["update"],
        before: { assume_role_policy: ADMIN },
        after: { policy: ADMIN },
      }),
    ).toEqual([["iam-wildcard", "critical", 'policy: a statement allows every action ("*").']]);
  });

  it("an IAM policy known only after apply is medium; elsewhere an unknown policy is no finding", () => {
    expect(
      policy({
        type: "aws_iam_policy",
        actions: ["create"],
        after: { policy: null },
        afterUnknown: { policy: true },
      }),
    ).toEqual([["iam-policy-unknown", "medium", "policy is known only after apply; review its source."]]);
    expect(
      policy({
        type: "aws_iam_role",
        actions: ["create"],
        after: { inline_policy: [{ name: "a" }] },
        afterUnknown: { inline_policy: [{ policy: true }] },
      }),
    ).toEqual([
      [
        "iam-policy-unknown",
        "medium",
        "inline_policy[0].policy is known only after apply; review its source.",
      ],
    ]);
    expect(
      policy({
        type: "aws_s3_bucket_policy",
        actions: ["create"],
        after: { policy: null },
        afterUnknown: { policy: true },
      }),
    ).toEqual([]);
  });

  it("null, sensitive, non-text and non-JSON policies give nothing", () => {
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: { policy: null } })).toEqual([]);
    expect(
      policy({
        type: "aws_iam_policy",
        actions: ["create"],
        after: { policy: ADMIN },
        afterSensitive: { policy: true },
      }),
    ).toEqual([]);
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: { policy: 1 } })).toEqual([]);
    expect(
      policy({ type: "aws_iam_policy", actions: ["create"], after: { policy: { Statement: [] } } }),
    ).toEqual([]);
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: { policy: "not json" } })).toEqual(
      [],
    );
  });

  it("no finding for changes that write nothing, data sources, or values without a policy attribute", () => {
    expect(policy({ type: "aws_iam_policy", actions: ["delete"], before: { policy: ADMIN } })).toEqual([]);
    expect(
      policy({
        type: "aws_iam_policy",
        actions: ["no-op"],
        before: { policy: "{}" },
        after: { policy: ADMIN },
      }),
    ).toEqual([]);
    expect(
      policyRule(dataChange({ type: "aws_iam_policy", actions: ["read"], after: { policy: ADMIN } })),
    ).toEqual([]);
    expect(
      policyRule(dataChange({ type: "aws_iam_policy", actions: ["create"], after: { policy: ADMIN } })),
    ).toEqual([]);
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: { name: "p" } })).toEqual([]);
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: "x" })).toEqual([]);
    expect(policy({ type: "aws_iam_policy", actions: ["create"], after: [ADMIN] })).toEqual([]);
  });
});
