import { describe, expect, it } from "vitest";
import { policyIssues } from "./policy.ts";

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("policyIssues", () => {
  it("is undefined for text that is not a JSON policy object", () => {
    expect(policyIssues("not json {")).toBeUndefined();
    expect(policyIssues("")).toBeUndefined();
    expect(policyIssues('"a string"')).toBeUndefined();
    expect(policyIssues("null")).toBeUndefined();
    expect(policyIssues("{}")).toEqual([]);
  });

  it("names each issue and the statement it is in, by Sid when it has one", () => {
    expect(
      policyIssues(
        doc(
          { Sid: "Admin", Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "*" },
          { Sid: "", Effect: "Allow", Action: "ec2:*", Resource: ["arn:aws:s3:::b", "*"] },
          { Effect: "Allow", Action: "*:*", NotResource: "arn:aws:s3:::b" },
          { Sid: "Rest", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" },
        ),
      ),
    ).toEqual([
      { kind: "action-wildcard", detail: 'statement "Admin" allows every action ("*")' },
      { kind: "resource-wildcard", detail: 'statement "Admin" applies to every resource ("*")' },
      { kind: "service-wildcard", detail: 'a statement allows every ec2 action ("ec2:*")' },
      { kind: "resource-wildcard", detail: 'a statement applies to every resource ("*")' },
      { kind: "action-wildcard", detail: 'a statement allows every action ("*")' },
      { kind: "resource-wildcard", detail: 'a statement applies to every resource ("*")' },
      {
        kind: "not-action",
        detail: 'statement "Rest" allows everything except the listed actions (NotAction)',
      },
    ]);
  });

  it("counts only a whole service:* action as a service wildcard", () => {
    expect(policyIssues(doc({ Effect: "Allow", Action: ["s3:*Object", "s3:Get*", "s3:Get:*"] }))).toEqual([]);
    expect(policyIssues(doc({ Effect: "Allow", Action: "AWS-Portal:*" }))).toEqual([
      { kind: "service-wildcard", detail: 'a statement allows every AWS-Portal action ("AWS-Portal:*")' },
    ]);
  });

  it("takes a statement without Effect as Allow, skips Deny statements and entries that are not objects", () => {
    expect(policyIssues(JSON.stringify({ Statement: { Action: "*" } }))).toEqual([
      { kind: "action-wildcard", detail: 'a statement allows every action ("*")' },
    ]);
    expect(policyIssues(doc({ Effect: "Deny", Action: "*", Resource: "*" }, null, "*", 7))).toEqual([]);
    expect(
      policyIssues(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" })),
    ).toEqual([]);
  });

  it('finds a public principal written as "*" or as an AWS "*", unless a Condition limits it', () => {
    const publicIssue = (sid: string) => ({
      kind: "public-principal",
      detail: `statement ${JSON.stringify(sid)} allows any principal ("*") without a condition`,
    });
    expect(
      policyIssues(
        doc(
          { Sid: "Star", Effect: "Allow", Principal: "*", Action: "s3:GetObject" },
          { Sid: "Aws", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject" },
          {
            Sid: "AwsList",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::1:root", "*"] },
            Action: "s3:GetObject",
          },
          { Sid: "Cond", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Condition: { Bool: {} } },
          {
            Sid: "Account",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::1:root" },
            Action: "s3:GetObject",
          },
          { Sid: "Service", Effect: "Allow", Principal: { Service: "*" }, Action: "s3:GetObject" },
          { Sid: "Null", Effect: "Allow", Principal: null, Action: "s3:GetObject" },
          { Sid: "Other", Effect: "Allow", Principal: "arn:aws:iam::1:root", Action: "s3:GetObject" },
        ),
      ),
    ).toEqual([publicIssue("Star"), publicIssue("Aws"), publicIssue("AwsList")]);
  });
});
