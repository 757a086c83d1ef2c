import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

async function run(cwd: string, ...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(["rules", "check", ...args], io.io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A stack as cdktf writes it: metadata, provider default tags, an S3 backend keyed by the stack's name. */
function synthesized(stackName: string, environment: string, database: Record<string, unknown>) {
  return {
    "//": { metadata: { backend: "s3", stackName, version: "0.21.0" }, outputs: {} },
    provider: {
      aws: [{ region: "eu-west-1", default_tags: [{ tags: { environment, "managed-by": "sluice" } }] }],
    },
    resource: { aws_db_instance: { orders: database } },
    terraform: {
      backend: {
        s3: { bucket: "b", key: `${stackName}/terraform.tfstate`, encrypt: true, use_lockfile: true },
      },
      required_providers: { aws: { source: "aws", version: "6.0.0" } },
    },
  };
}

const unprotected = {
  identifier: "prod-orders-db",
  storage_encrypted: true,
  kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/1",
  publicly_accessible: false,
  deletion_protection: false,
  multi_az: false,
  backup_retention_period: 1,
};

describe("sluice rules check", () => {
  it("checks a prod stack copied into another folder as prod: the environment comes from its content", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-rules-"));
    mkdirSync(join(dir, "stacks", "dev-scratch"), { recursive: true });
    writeFileSync(
      join(dir, "stacks", "dev-scratch", "cdk.tf.json"),
      JSON.stringify(synthesized("prod-platform", "prod", unprotected)),
    );
    const r = await run(dir, ".", "--format", "json");
    expect(r.stderr).toBe("");
    const { violations } = JSON.parse(r.stdout) as {
      violations: { rule: string; stack: string; message: string }[];
    };
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: "rds-deletion-protection-in-prod",
        stack: "dev-scratch",
        message: "prod: deletion_protection must be true",
      }),
    );
    expect(r.code).toBe(1);
  });

  it.each([
    ["a terraform plan", { format_version: "1.2", resource_changes: [] }, "it is a terraform plan"],
    ["terraform state", { format_version: "1.0", values: {} }, "it is terraform state or show output"],
    ["any other JSON", { name: "sluice", version: "0.1.0" }, 'it has no "terraform" block'],
    [
      "Terraform JSON not written by cdktf",
      { terraform: {}, resource: {} },
      'it has no cdktf metadata ("//")',
    ],
  ])("refuses %s with exit 2", async (_what, json, why) => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-rules-"));
    writeFileSync(join(dir, "input.json"), JSON.stringify(json));
    const r = await run(dir, "input.json");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`input.json: not a synthesized stack (${why}); expected cdktf's cdk.tf.json`);
  });

  it.each([
    [
      "broken JSON, never quoting it",
      '{\n  "password": "hunter2secret",\n  "a": }',
      /^sluice rules check: cdk\.tf\.json(:3:\d+)?: not valid JSON: [^"]*$/,
    ],
    ["truncated JSON", '{\n  "resource": {', /cdk\.tf\.json:2:\d+: not valid JSON: the JSON ends early/],
    ["an empty file", "", /cdk\.tf\.json: is empty \(expected cdktf's cdk\.tf\.json\)$/],
    [
      "UTF-16 (PowerShell's `>`)",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"resource":{}}', "utf16le")]),
      /cdk\.tf\.json: is UTF-16 text/,
    ],
  ])("exits 2 on %s in one line naming the file and where", async (_, content, message) => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-rules-"));
    writeFileSync(join(dir, "cdk.tf.json"), content);
    const r = await run(dir, "cdk.tf.json");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr).not.toContain("hunter2secret");
  });

  it("prints GitHub Actions annotations with --format github, one a violation", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-rules-"));
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify(synthesized("prod-platform", "prod", unprotected)),
    );
    const r = await run(dir, "cdk.tf.json", "--format", "github");
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    const stack = dir.split("/").at(-1);
    expect(lines).toContain(
      `::error title=rules/rds-deletion-protection-in-prod::${stack} aws_db_instance.orders: prod: deletion_protection must be true`,
    );
    expect(lines.slice(0, -1).every((l) => l.startsWith("::error title=rules/"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ violation\(s\) in 1 stack\(s\)$/);
  });
});
