import { TerraformOutput, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Database, type DatabaseProps } from "./database.ts";

const base: DatabaseProps = {
  vpcId: "vpc-0123456789abcdef0",
  dataSubnetIds: ["subnet-aaaa", "subnet-bbbb"],
  allowedSecurityGroupId: "sg-0cluster",
  engineVersion: "16.4",
};

/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

function build(props: Partial<DatabaseProps> = {}, environment = "dev") {
  const stack = testStack(environment);
  const db = new Database(stack, "database", { ...base, ...props });
  const json = synthJson(stack);
  const one = (type: string) => {
    const all = Object.values(resourcesOf(json, type));
    expect(all).toHaveLength(1);
    return all[0] as Record<string, unknown>;
  };
  return { stack, db, json, one };
}

describe("Database", () => {
  it("is private, encrypted, TLS-only and IAM-authenticated by default", () => {
    const { one } = build();
    const instance = one("aws_db_instance");
    expect(instance).toMatchObject({
      engine: "postgres",
      engine_version: "16.4",
      instance_class: "db.t4g.micro",
      publicly_accessible: false,
      storage_encrypted: true,
      storage_type: "gp3",
      allocated_storage: 20,
      max_allocated_storage: 100,
      manage_master_user_password: true,
      iam_database_authentication_enabled: true,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "dev-app-db-final",
      identifier: "dev-app-db",
      deletion_protection: true,
      multi_az: false,
      auto_minor_version_upgrade: true,
      port: 5432,
    });
    expect(instance).not.toHaveProperty("password");
    expect(instance.kms_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(instance.performance_insights_kms_key_id).toBe(instance.kms_key_id);
    expect(instance.master_user_secret_kms_key_id).toBe(instance.kms_key_id);
    expect(instance.parameter_group_name).toMatch(/^\$\{aws_db_parameter_group\.[\w-]+\.name\}$/);
    expect(instance.db_subnet_group_name).toMatch(/^\$\{aws_db_subnet_group\.[\w-]+\.name\}$/);
  });

  it("creates its own rotating KMS key unless one is passed", () => {
    const aliases = (json: ReturnType<typeof synthJson>) =>
      Object.values(resourcesOf(json, "aws_kms_alias")).map((a) => a.name);
    const own = build().json;
    expect(aliases(own)).toEqual(["alias/dev-app-db-kms", "alias/dev-app-db-logs-key"]);
    for (const key of Object.values(resourcesOf(own, "aws_kms_key")))
      expect(key.enable_key_rotation).toBe(true);

    const { json, one } = build({ kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc" });
    expect(aliases(json)).toEqual(["alias/dev-app-db-logs-key"]);
    expect(one("aws_db_instance").kms_key_id).toBe("arn:aws:kms:eu-west-1:111111111111:key/abc");
  });

  it("creates the exported logs' groups first, encrypted and expiring, so RDS never makes them unbounded", () => {
    const { json, one } = build({ logRetentionDays: 90 });
    const groups = Object.entries(resourcesOf(json, "aws_cloudwatch_log_group"));
    expect(groups.map(([, g]) => [g.name, g.retention_in_days])).toEqual([
      ["/aws/rds/instance/dev-app-db/postgresql", 90],
      ["/aws/rds/instance/dev-app-db/upgrade", 90],
    ]);
    for (const [, g] of groups) expect(String(g.kms_key_id)).toMatch(/^\$\{aws_kms_key\./);
    const instance = one("aws_db_instance");
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    for (const [id] of groups) expect(instance.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
    expect(() => build({ logRetentionDays: 10 })).toThrow(/logRetentionDays must be one of 1, 3, 5/);
  });

  it("puts the instance in the given data subnets only", () => {
    expect(build().one("aws_db_subnet_group")).toMatchObject({
      name: "dev-app-db-subnet-group",
      subnet_ids: ["subnet-aaaa", "subnet-bbbb"],
    });
  });

  it("opens 5432 only to its access security group (and an allowed one), with no CIDR ingress", () => {
    const { json } = build({ allowedSecurityGroupId: undefined });
    const groups = Object.entries(resourcesOf(json, "aws_security_group"));
    for (const [, g] of groups) expect(g).not.toHaveProperty("ingress");
    const idOf = (name: string) => groups.find(([, g]) => g.name === name)?.[0];
    const dbId = idOf("dev-app-db-sg");
    const accessId = idOf("dev-app-db-access-sg");
    expect(groups).toHaveLength(2);
    const rules = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toEqual([
      expect.objectContaining({
        security_group_id: tf(`aws_security_group.${dbId}.id`),
        ip_protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: tf(`aws_security_group.${accessId}.id`),
      }),
    ]);
    expect(rules[0]).not.toHaveProperty("cidr_ipv4");
    expect(Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"))).toEqual([
      expect.objectContaining({
        security_group_id: tf(`aws_security_group.${accessId}.id`),
        from_port: 5432,
        referenced_security_group_id: tf(`aws_security_group.${dbId}.id`),
      }),
    ]);
    const withBastion = Object.values(resourcesOf(build().json, "aws_vpc_security_group_ingress_rule"));
    expect(withBastion.map((r) => r.referenced_security_group_id)).toContain("sg-0cluster");
  });

  it("forces TLS and logs statements in a parameter group of the engine's family", () => {
    const group = build({ logStatement: "mod", logMinDurationStatementMs: 250 }).one(
      "aws_db_parameter_group",
    );
    expect(group.family).toBe("postgres16");
    expect(group.parameter).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: "mod" },
        { name: "log_min_duration_statement", value: "250" },
      ]),
    );
    expect(build({ engineVersion: "17" }).one("aws_db_parameter_group").family).toBe("postgres17");
  });

  it("names the parameter group by prefix, so a major-version replacement (create before destroy) cannot collide", () => {
    const group = build().one("aws_db_parameter_group");
    expect(group.lifecycle).toMatchObject({ create_before_destroy: true });
    expect(group.name).toBeUndefined();
    expect(group.name_prefix).toMatch(/^dev-[a-z-]*params-$/);
  });

  it("takes Multi-AZ, deletion protection, sizes and retention from props", () => {
    const instance = build(
      {
        instanceClass: "db.m7g.large",
        allocatedStorageGiB: 100,
        maxAllocatedStorageGiB: 500,
        multiAz: true,
        deletionProtection: true,
        minimumBackupRetentionDays: 14,
        backupRetentionDays: 21,
      },
      "prod",
    ).one("aws_db_instance");
    expect(instance).toMatchObject({
      identifier: "prod-app-db",
      instance_class: "db.m7g.large",
      allocated_storage: 100,
      max_allocated_storage: 500,
      multi_az: true,
      deletion_protection: true,
      backup_retention_period: 21,
    });
  });

  it("lets dev turn deletion protection off explicitly", () => {
    expect(build({ deletionProtection: false }).one("aws_db_instance").deletion_protection).toBe(false);
  });

  it("exposes endpoint, address, port, ids, security group and master secret as tokens", () => {
    const stack = testStack();
    const db = new Database(stack, "database", base);
    const exposed = {
      endpoint: db.endpoint,
      address: db.address,
      identifier: db.identifier,
      instance: db.instanceId,
      resource: db.resourceId,
      secret: db.masterSecretArn,
      sg: db.securityGroupId,
    };
    for (const [name, value] of Object.entries(exposed)) new TerraformOutput(stack, name, { value });
    const output = synthJson(stack).output as Record<string, { value: string }>;
    const resolved = (name: string) => output[name]?.value;
    expect(resolved("endpoint")).toMatch(/aws_db_instance\.[\w-]+\.endpoint/);
    expect(resolved("address")).toMatch(/aws_db_instance\.[\w-]+\.address/);
    expect(resolved("identifier")).toMatch(/aws_db_instance\.[\w-]+\.identifier/);
    expect(resolved("instance")).toMatch(/aws_db_instance\.[\w-]+\.id/);
    expect(resolved("resource")).toMatch(/aws_db_instance\.[\w-]+\.resource_id/);
    expect(resolved("secret")).toMatch(/aws_db_instance\.[\w-]+\.master_user_secret\[0\]\.secret_arn/);
    expect(resolved("sg")).toMatch(/aws_security_group\.[\w-]+\.id/);
    expect(db.port).toBe(5432);
  });

  it.each([
    [{ backupRetentionDays: 3 }, "Database: backupRetentionDays must be an integer >= 7 and <= 35, got 3"],
    [
      { minimumBackupRetentionDays: 14, backupRetentionDays: 7 },
      "backupRetentionDays must be an integer >= 14",
    ],
    [{ minimumBackupRetentionDays: 5 }, "minimumBackupRetentionDays must be an integer from 7 to 35, got 5"],
    [
      { engineVersion: "sixteen" },
      'engineVersion must be a PostgreSQL version like "16" or "16.4", got "sixteen"',
    ],
    [{ engineVersion: "16.4.1" }, 'got "16.4.1"'],
    [{ engineVersion: "11.22" }, "a supported major version (13 or later)"],
    [
      { dataSubnetIds: ["subnet-aaaa"] },
      'dataSubnetIds must be at least 2 subnet ids in different AZs, got ["subnet-aaaa"]',
    ],
    [{ allocatedStorageGiB: 10 }, "allocatedStorageGiB must be an integer from 20 to 65536 (gp3), got 10"],
    [
      { allocatedStorageGiB: 100, maxAllocatedStorageGiB: 50 },
      "maxAllocatedStorageGiB must be an integer >= allocatedStorageGiB (100), got 50",
    ],
    [
      { instanceClass: "t4g.micro" },
      'instanceClass must be an RDS instance class like "db.t4g.micro", got "t4g.micro"',
    ],
    [{ masterUsername: "postgres" }, "masterUsername must be 1-63 letters"],
    [
      { logStatement: "everything" as never },
      'logStatement must be none | ddl | mod | all, got "everything"',
    ],
    [{ logMinDurationStatementMs: -5 }, "logMinDurationStatementMs must be an integer >= -1"],
    [
      { performanceInsightsRetentionDays: 30 },
      "performanceInsightsRetentionDays must be 7, a multiple of 31",
    ],
    [{ nameTokens: ["App"] }, 'nameTokens must be lowercase glossary words (a-z, 0-9), got "App"'],
    [{ vpcId: " " }, 'vpcId must be a non-empty id, got " "'],
  ])("rejects %o", (props, message) => {
    expect(() => build(props as Partial<DatabaseProps>)).toThrow(message);
  });

  it("skips validation of unresolved tokens (cross-stack references)", () => {
    const stack = testStack();
    const subnets = new TerraformVariable(stack, "subnets", { type: "list(string)" }).listValue;
    const vpc = new TerraformVariable(stack, "vpc", { type: "string" }).stringValue;
    new Database(stack, "database", { ...base, vpcId: vpc, dataSubnetIds: subnets });
    const instance = Object.values(resourcesOf(synthJson(stack), "aws_db_subnet_group"))[0];
    expect(instance?.subnet_ids).toBe(tf("var.subnets"));
  });
});
