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

const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/${"bPxRfiCYEXAMPLEKEY"}`;

describe("maskSecrets", () => {
  it.each([
    ["an AWS access key id", `key ${AWS_KEY} here`, "key (masked aws-access-key-id) here"],
    // No word of the case-insensitive prefilter (key, token, …) beside them: only the exact one lets them in.
    // (Every A in this one is followed by K, so no looser reading of the prefilter's A[KSBC3] finds it.)
    ["an AWS access key id alone", `id AKIA${"KQ2Y7ZW4RT9PLM6N"}`, "id (masked aws-access-key-id)"],
    ["a GitHub token alone", `${GITHUB} was committed`, "(masked github-token) was committed"],
    ["an AWS access key id of the A3T kind", `A3TX${"IOSFODNN7EXAMPLE"}`, "(masked aws-access-key-id)"],
    [
      "an AWS secret access key in JSON",
      `{"aws_secret_access_key": "${AWS_SECRET}"}`,
      '{"aws_secret_access_key": "(masked aws-secret-access-key)"}',
    ],
    [
      "an AWS secret access key in an environment",
      `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
      "AWS_SECRET_ACCESS_KEY=(masked aws-secret-access-key)",
    ],
    [
      "an AWS secret access key under an SDK-style name",
      `{"SecretAccessKey":"${AWS_SECRET}"}`,
      '{"SecretAccessKey":"(masked aws-secret-access-key)"}',
    ],
    [
      "API keys in a query string",
      "https://x.example/cb?api_key=abc123&apikey=def456&api-key=ghi789",
      "https://x.example/cb?api_key=(masked password-assignment)&apikey=(masked password-assignment)&api-key=(masked password-assignment)",
    ],
    [
      "access and auth tokens in a query string",
      "?access_token=a1&accesstoken=b2&auth-token=c3&authtoken=d4",
      "?access_token=(masked password-assignment)&accesstoken=(masked password-assignment)&auth-token=(masked password-assignment)&authtoken=(masked password-assignment)",
    ],
    ["a GitHub token", `token: ${GITHUB}`, "token: (masked github-token)"],
    [
      "a fine-grained GitHub token",
      `github_pat_${"11ABCDEFG0123456789_abcdefghijklmnop"}`,
      "(masked github-token)",
    ],
    ["a Slack token", SLACK, "(masked slack-token)"],
    ["a Slack webhook", `url=${HOOK}`, "url=(masked slack-webhook)"],
    ["a JWT", `Bearer ${JWT}`, "Bearer (masked jwt)"],
    ["a PEM private key, not the text after it", `cert\n${PEM}\nend`, "cert\n(masked private-key)\nend"],
    [
      "a PGP private key block",
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${"x".repeat(30)}\n-----END PGP PRIVATE KEY BLOCK----- end`,
      "(masked private-key) end",
    ],
    [
      "a PEM key cut short",
      "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
      "(masked private-key)",
    ],
    [
      "a PEM key cut short, on several lines",
      "-----BEGIN EC PRIVATE KEY-----\nMIIEvQIBADAN\nBgkqhkiG9w0B",
      "(masked private-key)",
    ],
    [
      "a password assignment",
      "host=db;password=hunter22;port=5432",
      "host=db;password=(masked password-assignment);port=5432",
    ],
    [
      "credentials in a URL",
      "postgres://admin:s3cretpass@db.internal:5432/app",
      "postgres://admin:(masked url-credentials)@db.internal:5432/app",
    ],
  ])("masks %s, and only it", (_name, text, masked) => {
    expect(maskSecrets(text)).toBe(masked);
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
