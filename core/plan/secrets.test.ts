import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse.ts";
import { renderJson } from "./render/json.ts";
import { renderMarkdown } from "./render/markdown.ts";
import { renderText } from "./render/text.ts";
import { reviewPlan } from "./review.ts";
import { maskSecrets } from "./secrets.ts";
import { planText } from "./test/plans.ts";

// Built from parts so this file does not itself look like it holds secrets.
const AWS_KEY = `AKIA${"IOSFODNN7EXAMPLE"}`;
const GITHUB = `ghp_${"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}`;
const SLACK = `xoxb-${"123456789012-abcdefghijkl"}`;
const HOOK = `https://hooks.slack.com/services/${"T000/B000/XXXXXXXX"}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${"dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7${"x".repeat(40)}\n-----END RSA PRIVATE KEY-----`;

describe("maskSecrets", () => {
  it.each([
    ["an AWS access key id", `key ${AWS_KEY} here`, AWS_KEY],
    ["a GitHub token", `token: ${GITHUB}`, GITHUB],
    [
      "a fine-grained GitHub token",
      `github_pat_${"11ABCDEFG0123456789_abcdefghijklmnop"}`,
      "11ABCDEFG0123456789",
    ],
    ["a Slack token", SLACK, SLACK],
    ["a Slack webhook", `url=${HOOK}`, "T000/B000"],
    ["a JWT", `Bearer ${JWT}`, JWT],
    ["a PEM private key", `cert\n${PEM}\nend`, "MIIEowIBAAKCAQEA7"],
    ["a PEM key cut short", "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MIIEvQ"],
    ["a password assignment", "host=db;password=hunter22;port=5432", "hunter22"],
    ["credentials in a URL", "postgres://admin:s3cretpass@db.internal:5432/app", "s3cretpass"],
  ])("masks %s", (_name, text, secret) => {
    const masked = maskSecrets(text);
    expect(masked).not.toContain(secret);
    expect(masked).toMatch(/\(masked [a-z-]+\)/);
  });

  it("leaves ordinary text alone", () => {
    const text = 'arn:aws:iam::123456789012:role/app, "password" = (sensitive), https://example.com/a';
    expect(maskSecrets(text)).toBe(text);
  });

  it("masks unmarked secrets in every output format", () => {
    const review = reviewPlan(
      parsePlan(
        planText([
          {
            type: "aws_lambda_function",
            actions: ["create"],
            after: { environment: [{ variables: { KEY: AWS_KEY, PEM } }] },
          },
        ]),
      ),
    );
    for (const out of [renderMarkdown(review), renderJson(review), renderText(review, { color: true })]) {
      expect(out).not.toContain(AWS_KEY);
      expect(out).not.toContain("MIIEowIBAAKCAQEA7");
    }
  });
});
