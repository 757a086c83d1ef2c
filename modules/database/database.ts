import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";
import { EncryptedLogGroups, LOG_RETENTION_DAYS } from "../network/logs-key.ts";

/** PostgreSQL's port; the only port the database security group opens. */
export const POSTGRES_PORT = 5432;

export type LogStatement = "none" | "ddl" | "mod" | "all";

export interface DatabaseProps {
  /**
   * Glossary tokens naming the database; names become `{env}-{tokens}-db`.
   * @default ["app"]
   */
  readonly nameTokens?: readonly string[];

  /** VPC the database security group lives in. */
  readonly vpcId: string;

  /** Private data subnet ids (at least two, in different AZs) for the DB subnet group. */
  readonly dataSubnetIds: readonly string[];

  /**
   * A further security group allowed to reach port 5432 (say, a bastion's). Never the EKS cluster
   * security group: every pod carries that one. Pods reach the database by carrying
   * `accessSecurityGroupId` (security groups for pods).
   * @default only `accessSecurityGroupId`
   */
  readonly allowedSecurityGroupId?: string;

  /**
   * PostgreSQL engine version: major ("16") or major.minor ("16.4").
   * With `autoMinorVersionUpgrade` on, AWS moves the minor version forward; a major-only value
   * avoids Terraform trying to downgrade afterwards.
   */
  readonly engineVersion: string;

  /**
   * Instance class.
   * @default "db.t4g.micro"
   */
  readonly instanceClass?: string;

  /**
   * Initial gp3 storage in GiB (20–65536).
   * @default 20
   */
  readonly allocatedStorageGiB?: number;

  /**
   * Storage autoscaling ceiling in GiB; must be >= `allocatedStorageGiB`.
   * @default 100
   */
  readonly maxAllocatedStorageGiB?: number;

  /**
   * KMS key ARN for storage, Performance Insights and the master-password secret.
   * @default a new key with yearly rotation
   */
  readonly kmsKeyArn?: string;

  /**
   * Days automated backups are kept; must be >= `minimumBackupRetentionDays` and <= 35.
   * @default 7
   */
  readonly backupRetentionDays?: number;

  /**
   * Floor for `backupRetentionDays` (prod passes 14). Cannot be set below 7.
   * @default 7
   */
  readonly minimumBackupRetentionDays?: number;

  /**
   * Standby in a second AZ. Production turns it on.
   * @default false
   */
  readonly multiAz?: boolean;

  /**
   * Refuse to delete the instance. Turning it off (dev) is an explicit escape hatch.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Let AWS apply minor engine upgrades in the maintenance window.
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * Master user name; the password is generated and kept in Secrets Manager by RDS.
   * @default "sluice_admin"
   */
  readonly masterUsername?: string;

  /**
   * Which statements PostgreSQL logs (`log_statement`).
   * @default "ddl"
   */
  readonly logStatement?: LogStatement;

  /**
   * Log statements slower than this many milliseconds (`log_min_duration_statement`); -1 turns it off.
   * @default 1000
   */
  readonly logMinDurationStatementMs?: number;

  /**
   * Performance Insights retention in days: 7 (free tier) or a multiple of 31 up to 731.
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;

  /**
   * Days to keep the exported PostgreSQL and upgrade logs (one of CloudWatch Logs' values). Their log
   * groups are created here, encrypted, before the instance: RDS would otherwise create them with no
   * expiry.
   * @default 30
   */
  readonly logRetentionDays?: number;
}

/** The logs RDS exports to CloudWatch Logs, each into `/aws/rds/instance/<identifier>/<type>`. */
export const EXPORTED_LOGS = ["postgresql", "upgrade"] as const;

const TOKEN = /^[a-z][a-z0-9]*$/;
const ENGINE_VERSION = /^(\d{2})(\.\d{1,2})?$/;
const INSTANCE_CLASS = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;
const USERNAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const RESERVED_USERNAMES = new Set(["rdsadmin", "rdsrepladmin", "postgres", "admin"]);
const LOG_STATEMENTS: readonly LogStatement[] = ["none", "ddl", "mod", "all"];

/**
 * RDS for PostgreSQL in private data subnets, reachable only from its access security group, encrypted
 * with KMS, TLS-only, IAM-authenticated, its master password managed by Secrets Manager.
 */
export class Database extends Construct {
  /** `aws_db_instance` id. */
  readonly instanceId: string;
  /** The DB instance identifier (its name), for CloudWatch dimensions. */
  readonly identifier: string;
  readonly arn: string;
  /** `address:port`. */
  readonly endpoint: string;
  /** Host name. */
  readonly address: string;
  readonly port: number;
  /** `dbi-resource-id`, for `rds-db:connect` IAM policies. */
  readonly resourceId: string;
  readonly securityGroupId: string;
  /**
   * The security group that grants access: whatever carries it (a pod through a SecurityGroupPolicy,
   * an instance) may open connections to port 5432, and nothing else may.
   */
  readonly accessSecurityGroupId: string;
  /** Secrets Manager secret holding the master user's credentials. */
  readonly masterSecretArn: string;
  /** Key encrypting storage, Performance Insights and the master secret. */
  readonly kmsKeyArn: string;
  /** The instance resource, for `addOverride` in tests and rare escape hatches. */
  readonly instance: DbInstance;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const p = validate(props);
    const namer = Namer.of(this);
    const tokens = [...p.nameTokens, "db"];

    this.kmsKeyArn = props.kmsKeyArn ?? this.createKey(namer, tokens);

    const subnetGroup = new DbSubnetGroup(this, "subnet_group", {
      name: namer.name("generic", ...tokens, "subnet", "group"),
      description: "Private data subnets only",
      subnetIds: [...props.dataSubnetIds],
    });

    const securityGroup = new SecurityGroup(this, "security_group", {
      name: namer.name("security-group", ...tokens, "sg"),
      description: "PostgreSQL, reachable only from the access security group",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    const access = new SecurityGroup(this, "access_security_group", {
      name: namer.name("security-group", ...tokens, "access", "sg"),
      description: "Carried by the workloads allowed to reach PostgreSQL",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupIngressRule(this, "ingress_from_access", {
      securityGroupId: securityGroup.id,
      description: "PostgreSQL from the access security group",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: access.id,
    });
    new VpcSecurityGroupEgressRule(this, "access_egress", {
      securityGroupId: access.id,
      description: "PostgreSQL to the database",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: securityGroup.id,
    });
    if (props.allowedSecurityGroupId !== undefined) {
      new VpcSecurityGroupIngressRule(this, "ingress_from_allowed", {
        securityGroupId: securityGroup.id,
        description: "PostgreSQL from the allowed security group",
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        referencedSecurityGroupId: props.allowedSecurityGroupId,
      });
    }

    // A name prefix, not a fixed name: a new family (major-version bump) replaces the group, and with
    // create-before-destroy a fixed name would collide with the group still in use ("already exists").
    const parameterGroup = new DbParameterGroup(this, "parameter_group", {
      namePrefix: `${namer.name("generic", ...tokens, "params")}-`,
      family: `postgres${p.major}`,
      description: "TLS-only connections and statement logging",
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_statement", value: p.logStatement },
        { name: "log_min_duration_statement", value: String(p.logMinDurationStatementMs) },
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    const identifier = namer.name("rds-identifier", ...tokens);
    const logs = new EncryptedLogGroups(this, "logs", {
      aliasName: namer.name("kms-alias", ...tokens, "logs", "key"),
      description: "RDS log exports",
      groups: Object.fromEntries(
        EXPORTED_LOGS.map((type) => [
          type,
          { name: `/aws/rds/instance/${identifier}/${type}`, retentionDays: p.logRetentionDays },
        ]),
      ),
    });
    this.instance = new DbInstance(this, "instance", {
      identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      // Extended support is billed per vCPU-hour; fail the upgrade path loudly instead of paying silently.
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
      autoMinorVersionUpgrade: p.autoMinorVersionUpgrade,
      allowMajorVersionUpgrade: false,
      instanceClass: p.instanceClass,
      storageType: "gp3",
      allocatedStorage: p.allocatedStorageGiB,
      maxAllocatedStorage: p.maxAllocatedStorageGiB,
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      parameterGroupName: parameterGroup.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      username: p.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: this.kmsKeyArn,
      performanceInsightsRetentionPeriod: p.performanceInsightsRetentionDays,
      enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
      backupRetentionPeriod: p.backupRetentionDays,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: namer.name("rds-identifier", ...tokens, "final"),
      multiAz: p.multiAz,
      deletionProtection: p.deletionProtection,
      applyImmediately: false,
      dependsOn: Object.values(logs.logGroups),
    });

    this.instanceId = this.instance.id;
    this.identifier = this.instance.identifier;
    this.arn = this.instance.arn;
    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.port = POSTGRES_PORT;
    this.resourceId = this.instance.resourceId;
    this.securityGroupId = securityGroup.id;
    this.accessSecurityGroupId = access.id;
    this.masterSecretArn = this.instance.masterUserSecret.get(0).secretArn;
  }

  private createKey(namer: Namer, tokens: readonly string[]): string {
    return new EncryptionKey(this, "key", {
      description: "RDS storage, Performance Insights and master secret",
      aliasName: namer.name("kms-alias", ...tokens, "kms"),
    }).arn;
  }
}

interface ResolvedProps {
  readonly nameTokens: readonly string[];
  readonly major: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  readonly autoMinorVersionUpgrade: boolean;
  readonly masterUsername: string;
  readonly logStatement: LogStatement;
  readonly logMinDurationStatementMs: number;
  readonly performanceInsightsRetentionDays: number;
  readonly logRetentionDays: number;
}

const concrete = (value: unknown): boolean => !Token.isUnresolved(value);

function fail(prop: string, got: unknown, expected: string): never {
  throw new Error(`Database: ${prop} must be ${expected}, got ${JSON.stringify(got)}`);
}

function validate(props: DatabaseProps): ResolvedProps {
  const nameTokens = props.nameTokens ?? ["app"];
  if (nameTokens.length === 0) fail("nameTokens", nameTokens, "at least one glossary token");
  for (const t of nameTokens) {
    if (!TOKEN.test(t)) fail("nameTokens", t, "lowercase glossary words (a-z, 0-9)");
  }

  if (concrete(props.dataSubnetIds) && props.dataSubnetIds.length < 2) {
    fail("dataSubnetIds", props.dataSubnetIds, "at least 2 subnet ids in different AZs");
  }
  for (const [prop, value] of [
    ["vpcId", props.vpcId],
    ["allowedSecurityGroupId", props.allowedSecurityGroupId],
  ] as const) {
    if (value !== undefined && concrete(value) && value.trim() === "") fail(prop, value, "a non-empty id");
  }

  if (Token.isUnresolved(props.engineVersion)) {
    fail(
      "engineVersion",
      "<token>",
      'a literal version such as "16.4" (the parameter family derives from it)',
    );
  }
  const m = ENGINE_VERSION.exec(props.engineVersion);
  if (!m?.[1]) fail("engineVersion", props.engineVersion, 'a PostgreSQL version like "16" or "16.4"');
  const major = m[1];
  if (Number(major) < 13)
    fail("engineVersion", props.engineVersion, "a supported major version (13 or later)");

  const instanceClass = props.instanceClass ?? "db.t4g.micro";
  if (concrete(instanceClass) && !INSTANCE_CLASS.test(instanceClass)) {
    fail("instanceClass", instanceClass, 'an RDS instance class like "db.t4g.micro"');
  }

  const allocatedStorageGiB = props.allocatedStorageGiB ?? 20;
  if (!Number.isInteger(allocatedStorageGiB) || allocatedStorageGiB < 20 || allocatedStorageGiB > 65536) {
    fail("allocatedStorageGiB", allocatedStorageGiB, "an integer from 20 to 65536 (gp3)");
  }
  const maxAllocatedStorageGiB = props.maxAllocatedStorageGiB ?? Math.max(100, allocatedStorageGiB);
  if (
    !Number.isInteger(maxAllocatedStorageGiB) ||
    maxAllocatedStorageGiB < allocatedStorageGiB ||
    maxAllocatedStorageGiB > 65536
  ) {
    fail(
      "maxAllocatedStorageGiB",
      maxAllocatedStorageGiB,
      `an integer >= allocatedStorageGiB (${allocatedStorageGiB})`,
    );
  }

  const minimum = props.minimumBackupRetentionDays ?? 7;
  if (!Number.isInteger(minimum) || minimum < 7 || minimum > 35) {
    fail("minimumBackupRetentionDays", minimum, "an integer from 7 to 35");
  }
  const backupRetentionDays = props.backupRetentionDays ?? minimum;
  if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < minimum || backupRetentionDays > 35) {
    fail("backupRetentionDays", backupRetentionDays, `an integer >= ${minimum} and <= 35`);
  }

  const masterUsername = props.masterUsername ?? "sluice_admin";
  if (!USERNAME.test(masterUsername) || RESERVED_USERNAMES.has(masterUsername.toLowerCase())) {
    fail(
      "masterUsername",
      masterUsername,
      "1-63 letters, digits or _, starting with a letter, not a reserved name",
    );
  }

  const logStatement = props.logStatement ?? "ddl";
  if (!LOG_STATEMENTS.includes(logStatement)) fail("logStatement", logStatement, LOG_STATEMENTS.join(" | "));

  const logMinDurationStatementMs = props.logMinDurationStatementMs ?? 1000;
  if (!Number.isInteger(logMinDurationStatementMs) || logMinDurationStatementMs < -1) {
    fail("logMinDurationStatementMs", logMinDurationStatementMs, "an integer >= -1 (-1 turns it off)");
  }

  const performanceInsightsRetentionDays = props.performanceInsightsRetentionDays ?? 7;
  const pi = performanceInsightsRetentionDays;
  if (!(pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 713) || pi === 731)) {
    fail("performanceInsightsRetentionDays", pi, "7, a multiple of 31 up to 713, or 731");
  }

  const logRetentionDays = props.logRetentionDays ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    fail("logRetentionDays", logRetentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }

  return {
    nameTokens,
    major,
    logRetentionDays,
    instanceClass,
    allocatedStorageGiB,
    maxAllocatedStorageGiB,
    backupRetentionDays,
    multiAz: props.multiAz ?? false,
    deletionProtection: props.deletionProtection ?? true,
    autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
    masterUsername,
    logStatement,
    logMinDurationStatementMs,
    performanceInsightsRetentionDays,
  };
}
