import type { RiskFinding } from "../findings.ts";
import type { PlanValue } from "../values.ts";
import { type ChangeRule, finding, get, writes } from "./access.ts";

type Safeguard = "encryption" | "deletion protection" | "backups" | "logging";

interface Switch {
  readonly what: Safeguard;
  readonly path: readonly (string | number)[];
  /** True when the value means the safeguard is on. */
  readonly on: (value: PlanValue | undefined) => boolean;
  /** True when the value means the safeguard is off (absent or unknown is neither). */
  readonly off: (value: PlanValue | undefined) => boolean;
  /** Also flag a new resource created with the safeguard off. */
  readonly onCreate?: boolean;
}

const flag = (what: Safeguard, path: (string | number)[], onCreate = false): Switch => ({
  what,
  path,
  on: (v) => v === true,
  off: (v) => v === false,
  onCreate,
});

const inverse = (what: Safeguard, path: (string | number)[]): Switch => ({
  what,
  path,
  on: (v) => v === false,
  off: (v) => v === true,
});

const nonEmpty = (what: Safeguard, path: (string | number)[]): Switch => ({
  what,
  path,
  on: (v) => Array.isArray(v) && v.length > 0,
  off: (v) => Array.isArray(v) && v.length === 0,
});

const SWITCHES: readonly Switch[] = [
  flag("encryption", ["storage_encrypted"], true),
  flag("encryption", ["encrypted"], true),
  flag("encryption", ["enable_key_rotation"]),
  flag("encryption", ["at_rest_encryption_enabled"], true),
  flag("encryption", ["transit_encryption_enabled"]),
  flag("encryption", ["server_side_encryption", 0, "enabled"]),
  flag("encryption", ["encrypt_at_rest", 0, "enabled"], true),
  flag("encryption", ["node_to_node_encryption", 0, "enabled"]),
  flag("deletion protection", ["deletion_protection"]),
  flag("deletion protection", ["deletion_protection_enabled"]),
  flag("deletion protection", ["enable_deletion_protection"]),
  inverse("deletion protection", ["force_destroy"]),
  flag("deletion protection", ["disable_api_termination"]),
  {
    what: "backups",
    path: ["backup_retention_period"],
    on: (v) => typeof v === "number" && v > 0,
    off: (v) => v === 0,
    onCreate: true,
  },
  inverse("backups", ["skip_final_snapshot"]),
  flag("backups", ["point_in_time_recovery", 0, "enabled"]),
  flag("backups", ["versioning", 0, "enabled"]),
  {
    what: "backups",
    path: ["versioning_configuration", 0, "status"],
    on: (v) => v === "Enabled",
    off: (v) => v === "Suspended" || v === "Disabled",
  },
  flag("logging", ["enable_logging"]),
  flag("logging", ["access_logs", 0, "enabled"]),
  nonEmpty("logging", ["enabled_cluster_log_types"]),
  nonEmpty("logging", ["enabled_cloudwatch_logs_exports"]),
  nonEmpty("logging", ["logging"]),
];

/** The indexes in SWITCHES of the switches under each top-level attribute. */
const SWITCHES_BY_KEY = new Map<string, number[]>();
SWITCHES.forEach((s, i) => {
  const key = String(s.path[0]);
  SWITCHES_BY_KEY.set(key, [...(SWITCHES_BY_KEY.get(key) ?? []), i]);
});

/** Resources whose only purpose is a safeguard: destroying them turns it off. */
const SAFEGUARD_RESOURCES: Readonly<Record<string, Safeguard>> = {
  aws_s3_bucket_server_side_encryption_configuration: "encryption",
  aws_ebs_encryption_by_default: "encryption",
  aws_s3_bucket_versioning: "backups",
  aws_backup_plan: "backups",
  aws_backup_selection: "backups",
  aws_db_instance_automated_backups_replication: "backups",
  aws_s3_bucket_logging: "logging",
  aws_cloudtrail: "logging",
  aws_flow_log: "logging",
  aws_config_configuration_recorder: "logging",
  aws_config_configuration_recorder_status: "logging",
  aws_guardduty_detector: "logging",
  aws_securityhub_account: "logging",
};

/** Encryption, deletion protection, backups or logging turned off (or a new resource created without them). */
export const safeguardRule: ChangeRule = (change) => {
  if (change.mode === "data") return [];
  const out: RiskFinding[] = [];
  const safeguard = SAFEGUARD_RESOURCES[change.type];
  if (safeguard && (change.kind === "delete" || change.kind === "forget")) {
    out.push(
      finding("protection-off", "high", change, `removes ${change.type}: ${safeguard} is turned off.`),
    );
  }
  if (!writes(change)) return out;
  const created = change.before === null;
  const after = change.after;
  // One pass over the attributes finds the switches present: most resources have none of them, and a
  // lookup per switch costs more on a plan of thousands of changes. A value that is not an object (text,
  // a list, a marker) has no attribute named like a switch, so the loop finds none in it.
  const present: number[] = [];
  for (const key in after as object) {
    const found = SWITCHES_BY_KEY.get(key);
    if (found !== undefined) present.push(...found);
  }
  // In SWITCHES order, so findings come in the same order whatever the attribute order.
  present.sort((a, b) => a - b);
  for (const i of present) {
    const s = SWITCHES[i] as Switch;
    if (!s.off(get(after, ...s.path))) continue;
    const attribute = s.path
      .map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`))
      .join("")
      .slice(1);
    if (created) {
      if (s.onCreate) {
        out.push(finding("protection-off", "medium", change, `created with ${s.what} off (${attribute}).`));
      }
    } else if (s.on(get(change.before, ...s.path))) {
      out.push(finding("protection-off", "high", change, `turns ${s.what} off (${attribute}).`));
    }
  }
  // Deleting the whole ebs-encryption-by-default switch is covered above; disabling it is a flag.
  if (change.type === "aws_ebs_encryption_by_default" && get(change.after, "enabled") === false) {
    out.push(finding("protection-off", "high", change, "turns EBS encryption by default off (enabled)."));
  }
  return out;
};
