import type { TerraformResource } from "cdktf";
import { describe, expect, it } from "vitest";
import { databaseRules, referencedNames } from "../../core/rules/database.ts";
import { runRules } from "../../core/rules/run.ts";
import type { SynthesizedStack, TerraformJson } from "../../core/rules/types.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Database, type DatabaseProps } from "./database.ts";

const base: DatabaseProps = {
  vpcId: "vpc-1",
  dataSubnetIds: ["subnet-a", "subnet-b"],
  engineVersion: "16.4",
};

const prodProps: Partial<DatabaseProps> = {
  multiAz: true,
  deletionProtection: true,
  minimumBackupRetentionDays: 14,
};

/** Synthesizes a Database, lets `weaken` change it, and runs the database rules. */
function check(
  options: { environment?: string; props?: Partial<DatabaseProps>; weaken?: (db: Database) => void } = {},
) {
  const environment = options.environment ?? "dev";
  const stack = testStack(environment);
  const db = new Database(stack, "database", { ...base, ...options.props });
  options.weaken?.(db);
  const synthesized: SynthesizedStack = { name: stack.node.id, json: synthJson(stack) as TerraformJson };
  // The prod backup rule needs a DatabaseBackup beside the database: modules/backup/backup.rules.test.ts.
  return runRules(
    [synthesized],
    databaseRules.filter((r) => r.id !== "rds-backup-copied-in-prod"),
  );
}

/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

const ruleIds = (violations: ReturnType<typeof check>) => [...new Set(violations.map((v) => v.rule))];

describe("database rules", () => {
  it("pass the default Database in dev and the protected Database in prod", () => {
    expect(check()).toEqual([]);
    expect(check({ environment: "prod", props: prodProps })).toEqual([]);
  });

  it.each([
    ["rds-not-public", (db: Database) => db.instance.addOverride("publicly_accessible", true)],
    ["rds-storage-encrypted", (db: Database) => db.instance.addOverride("storage_encrypted", false)],
    ["rds-storage-encrypted", (db: Database) => db.instance.addOverride("kms_key_id", null)],
    ["rds-managed-password", (db: Database) => db.instance.addOverride("password", "hunter2hunter2")],
    ["rds-managed-password", (db: Database) => db.instance.addOverride("manage_master_user_password", false)],
    ["rds-force-ssl", (db: Database) => db.instance.addOverride("parameter_group_name", null)],
    ["rds-backup-retention", (db: Database) => db.instance.addOverride("backup_retention_period", 1)],
    ["rds-iam-auth", (db: Database) => db.instance.addOverride("iam_database_authentication_enabled", false)],
    ["rds-final-snapshot", (db: Database) => db.instance.addOverride("skip_final_snapshot", true)],
    ["rds-final-snapshot", (db: Database) => db.instance.addOverride("final_snapshot_identifier", null)],
  ])("%s trips on a weakened instance", (rule, weaken) => {
    const violations = check({ weaken });
    expect(ruleIds(violations)).toEqual([rule]);
    expect(violations[0]?.address).toMatch(/^aws_db_instance\./);
    expect(violations[0]?.stack).toBe("dev-test");
  });

  it("rds-force-ssl trips when the parameter group turns force_ssl off", () => {
    const violations = check({
      weaken: (db) => {
        const group = db.node.findChild("parameter_group");
        (group as TerraformResource).addOverride("parameter", [{ name: "rds.force_ssl", value: "0" }]);
      },
    });
    expect(ruleIds(violations)).toEqual(["rds-force-ssl"]);
    expect(violations[0]?.message).toContain('got "0"');
  });

  it("rds-sg-no-cidr-ingress trips when the database security group admits a CIDR", () => {
    const violations = check({
      weaken: (db) => {
        const rule = db.node.findChild("ingress_from_access");
        (rule as TerraformResource).addOverride("cidr_ipv4", "0.0.0.0/0");
      },
    });
    expect(ruleIds(violations)).toEqual(["rds-sg-no-cidr-ingress"]);
    expect(violations[0]?.address).toMatch(/^aws_vpc_security_group_ingress_rule\./);
  });

  it("rds-deletion-protection-in-prod trips in prod stacks only, naming each missing protection", () => {
    const weak = { multiAz: false, deletionProtection: false, backupRetentionDays: 7 };
    const violations = check({ environment: "prod", props: weak });
    expect(ruleIds(violations)).toEqual(["rds-deletion-protection-in-prod"]);
    expect(violations.map((v) => v.message)).toEqual([
      "prod: deletion_protection must be true",
      "prod: multi_az must be true",
      "prod: backup_retention_period must be >= 14, got 7",
    ]);
    expect(check({ environment: "dev", props: weak })).toEqual([]);
  });

  it("finds references in synthesized values", () => {
    expect(referencedNames(tf("aws_kms_key.db_key_1A2B.arn"), "aws_kms_key", "arn")).toEqual(["db_key_1A2B"]);
    expect(referencedNames([tf("aws_security_group.a.id"), "sg-1"], "aws_security_group", "id")).toEqual([
      "a",
    ]);
    expect(referencedNames("sg-literal", "aws_security_group", "id")).toEqual([]);
  });

  it("rds-not-open-to-cluster trips when the database admits the EKS cluster security group", () => {
    const clusterSg = tf("aws_eks_cluster.cluster_cluster_1A2B.vpc_config[0].cluster_security_group_id");
    const violations = check({ props: { allowedSecurityGroupId: clusterSg } });
    expect(ruleIds(violations)).toEqual(["rds-not-open-to-cluster"]);
    expect(violations[0]?.address).toMatch(
      /^aws_vpc_security_group_ingress_rule\.database_ingress_from_allowed/,
    );
    expect(check({ props: { allowedSecurityGroupId: "sg-0bastion" } })).toEqual([]);
    const inline = check({
      weaken: (db) =>
        (db.node.findChild("security_group") as TerraformResource).addOverride("ingress", [
          { from_port: 5432, to_port: 5432, protocol: "tcp", security_groups: [clusterSg] },
        ]),
    });
    expect(ruleIds(inline)).toEqual(["rds-not-open-to-cluster"]);
  });
});
