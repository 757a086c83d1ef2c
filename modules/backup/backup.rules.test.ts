import { describe, expect, it } from "vitest";
import { databaseRules } from "../../core/rules/database.ts";
import { runRules } from "../../core/rules/run.ts";
import { Database } from "../database/database.ts";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { DatabaseBackup, type DatabaseBackupProps } from "./database-backup.ts";

const prodDatabase = { multiAz: true, deletionProtection: true, minimumBackupRetentionDays: 14 };

/** A prod platform stack with a database and, unless `props` is null, its backup. */
function build(props: Partial<DatabaseBackupProps> | null = {}) {
  const stack = testStack("prod", "prod-platform");
  const db = new Database(stack, "database", {
    vpcId: "vpc-1",
    dataSubnetIds: ["subnet-a", "subnet-b"],
    engineVersion: "16",
    ...prodDatabase,
  });
  const backup =
    props === null
      ? undefined
      : new DatabaseBackup(stack, "backup", {
          resourceArns: [db.arn],
          retentionDays: 35,
          copyRetentionDays: 35,
          copy: { region: "eu-central-1" },
          region: "eu-west-1",
          ...props,
        });
  return { stack, backup, json: synthStack(stack) };
}

describe("DatabaseBackup", () => {
  it("backs the database up daily into an encrypted vault and copies each point to a vault in another region", () => {
    const { json } = build();
    const vaults = Object.values(resources(json, "aws_backup_vault"));
    expect(Object.fromEntries(vaults.map((v) => [v.name, v.region ?? "(provider's)"]))).toEqual({
      "prod-db-backup-vault": "(provider's)",
      "prod-db-backup-copy-vault": "eu-central-1",
    });
    for (const v of vaults) expect(String(v.kms_key_arn)).toMatch(/^\$\{aws_kms_key\./);
    const keys = Object.values(resources(json, "aws_kms_key")).filter((k) =>
      String(k.description).includes("Backup"),
    );
    expect(keys.map((k) => k.region ?? "(provider's)").sort()).toEqual(["(provider's)", "eu-central-1"]);
    const plan = only(json, "aws_backup_plan");
    expect(plan.rule).toEqual([
      expect.objectContaining({
        schedule: "cron(0 3 * * ? *)",
        lifecycle: { delete_after: 35 },
        copy_action: [
          {
            destination_vault_arn: expect.stringMatching(
              /^\$\{aws_backup_vault\.backup_copy-vault_\w+\.arn\}$/,
            ),
            lifecycle: { delete_after: 35 },
          },
        ],
      }),
    ]);
    const selection = only(json, "aws_backup_selection");
    expect(selection.resources).toEqual([expect.stringMatching(/^\$\{aws_db_instance\.\w+\.arn\}$/)]);
    expect(String(only(json, "aws_iam_role").assume_role_policy)).toContain("backup.amazonaws.com");
  });

  it("copies to another account's vault when given one, creating no vault for it", () => {
    const vaultArn = "arn:aws:backup:eu-west-1:444444444444:backup-vault:prod-db-backup-copy-vault";
    const { json } = build({ copy: { vaultArn } });
    expect(Object.values(resources(json, "aws_backup_vault"))).toHaveLength(1);
    const rule = (only(json, "aws_backup_plan").rule as Record<string, unknown>[])[0];
    expect(rule?.copy_action).toEqual([{ destination_vault_arn: vaultArn, lifecycle: { delete_after: 35 } }]);
  });

  it("refuses a copy into its own region, a malformed vault ARN or bad retention, naming the prop", () => {
    expect(() => build({ copy: { region: "eu-west-1" } })).toThrow(
      'DatabaseBackup: copy.region must be another region than the database\'s (eu-west-1), got "eu-west-1"',
    );
    expect(() => build({ copy: { vaultArn: "prod-vault" } })).toThrow(
      /copy\.vaultArn must be a backup vault ARN/,
    );
    expect(() => build({ retentionDays: 0 })).toThrow(
      /retentionDays must be whole days from 1 to 35000, got 0/,
    );
  });
});

describe("rds-backup-copied-in-prod", () => {
  const tripped = (json: ReturnType<typeof build>["json"]) =>
    runRules([json], databaseRules).map((v) => [v.rule, v.message]);

  it("passes a prod database with a copying plan, and leaves dev alone", () => {
    expect(tripped(build().json)).toEqual([]);
    const dev = testStack("dev", "dev-platform");
    new Database(dev, "database", { vpcId: "vpc-1", dataSubnetIds: ["a", "b"], engineVersion: "16" });
    expect(tripped(synthStack(dev))).toEqual([]);
  });

  it("trips on a prod database no backup plan selects", () => {
    expect(tripped(build(null).json)).toEqual([
      ["rds-backup-copied-in-prod", "no aws_backup_selection selects this instance"],
    ]);
  });

  it("trips when the plan's copy action is removed", () => {
    const { stack, backup } = build();
    if (!backup) throw new Error("build() adds a backup");
    (backup.node.findChild("plan") as unknown as { addOverride(p: string, v: unknown): void }).addOverride(
      "rule.0.copy_action",
      null,
    );
    expect(tripped(synthStack(stack))).toEqual([
      ["rds-backup-copied-in-prod", "its backup plan copies no recovery point to another region or account"],
    ]);
  });
});
