import { describe, expect, it } from "vitest";
import { safeguardRule } from "./protection.ts";
import { change, dataChange } from "./test/changes.ts";

/** A resource value with `value` at `path` (numbers are list indexes). */
function at(path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  return typeof step === "number" ? [at(rest, value)] : { [step as string]: at(rest, value) };
}

const reasons = (spec: Parameters<typeof change>[0]) => safeguardRule(change(spec)).map((f) => f.reason);

const update = (type: string, before: unknown, after: unknown) =>
  reasons({ type, actions: ["update"], before, after });

const create = (type: string, after: unknown) => reasons({ type, actions: ["create"], after });

/** Every switch: what it guards, where, a value that means on, one that means off, and whether a create with it off is flagged. */
const SWITCHES: [string, string, (string | number)[], unknown, unknown, boolean][] = [
  ["encryption", "storage_encrypted", ["storage_encrypted"], true, false, true],
  ["encryption", "encrypted", ["encrypted"], true, false, true],
  ["encryption", "enable_key_rotation", ["enable_key_rotation"], true, false, false],
  ["encryption", "at_rest_encryption_enabled", ["at_rest_encryption_enabled"], true, false, true],
  ["encryption", "transit_encryption_enabled", ["transit_encryption_enabled"], true, false, false],
  [
    "encryption",
    "server_side_encryption[0].enabled",
    ["server_side_encryption", 0, "enabled"],
    true,
    false,
    false,
  ],
  ["encryption", "encrypt_at_rest[0].enabled", ["encrypt_at_rest", 0, "enabled"], true, false, true],
  [
    "encryption",
    "node_to_node_encryption[0].enabled",
    ["node_to_node_encryption", 0, "enabled"],
    true,
    false,
    false,
  ],
  ["deletion protection", "deletion_protection", ["deletion_protection"], true, false, false],
  ["deletion protection", "deletion_protection_enabled", ["deletion_protection_enabled"], true, false, false],
  ["deletion protection", "enable_deletion_protection", ["enable_deletion_protection"], true, false, false],
  ["deletion protection", "force_destroy", ["force_destroy"], false, true, false],
  ["deletion protection", "disable_api_termination", ["disable_api_termination"], true, false, false],
  ["backups", "backup_retention_period", ["backup_retention_period"], 7, 0, true],
  ["backups", "skip_final_snapshot", ["skip_final_snapshot"], false, true, false],
  [
    "backups",
    "point_in_time_recovery[0].enabled",
    ["point_in_time_recovery", 0, "enabled"],
    true,
    false,
    false,
  ],
  ["backups", "versioning[0].enabled", ["versioning", 0, "enabled"], true, false, false],
  [
    "backups",
    "versioning_configuration[0].status",
    ["versioning_configuration", 0, "status"],
    "Enabled",
    "Suspended",
    false,
  ],
  ["logging", "enable_logging", ["enable_logging"], true, false, false],
  ["logging", "access_logs[0].enabled", ["access_logs", 0, "enabled"], true, false, false],
  ["logging", "enabled_cluster_log_types", ["enabled_cluster_log_types"], ["api"], [], false],
  ["logging", "enabled_cloudwatch_logs_exports", ["enabled_cloudwatch_logs_exports"], ["audit"], [], false],
  ["logging", "logging", ["logging"], [{ target_bucket: "logs" }], [], false],
];

describe("safeguardRule: switches", () => {
  it.each(SWITCHES)("%s: turning %s off is high", (what, attribute, path, on, off) => {
    expect(update("aws_thing", at(path, on), at(path, off))).toEqual([`turns ${what} off (${attribute}).`]);
    expect(
      safeguardRule(
        change({ type: "aws_thing", actions: ["update"], before: at(path, on), after: at(path, off) }),
      ),
    ).toEqual([
      {
        rule: "protection-off",
        severity: "high",
        address: "aws_thing.this",
        resourceType: "aws_thing",
        reason: `turns ${what} off (${attribute}).`,
      },
    ]);
  });

  it.each(SWITCHES)(
    "%s: %s left off, left on, turned on or set from unknown is no finding",
    (_what, _attribute, path, on, off) => {
      expect(update("aws_thing", at(path, off), at(path, off))).toEqual([]);
      expect(update("aws_thing", at(path, on), at(path, on))).toEqual([]);
      expect(update("aws_thing", at(path, off), at(path, on))).toEqual([]);
      expect(update("aws_thing", {}, at(path, off))).toEqual([]);
      expect(
        reasons({
          type: "aws_thing",
          actions: ["update"],
          before: at(path, on),
          after: {},
          afterUnknown: at(path, true),
        }),
      ).toEqual([]);
      expect(update("aws_thing", at(path, on), {})).toEqual([]);
    },
  );

  it.each(SWITCHES)(
    "%s: a new resource with %s off is medium only where flagged on create",
    (what, attribute, path, on, off, onCreate) => {
      expect(
        safeguardRule(change({ type: "aws_thing", actions: ["create"], after: at(path, off) })).map((f) => [
          f.severity,
          f.reason,
        ]),
      ).toEqual(onCreate ? [["medium", `created with ${what} off (${attribute}).`]] : []);
      expect(create("aws_thing", at(path, on))).toEqual([]);
    },
  );
});

describe("safeguardRule: edge values", () => {
  it("versioning suspended or disabled is off; any other status is neither", () => {
    const status = (s: string) => at(["versioning_configuration", 0, "status"], s);
    const off = "turns backups off (versioning_configuration[0].status).";
    expect(update("aws_s3_bucket_versioning", status("Enabled"), status("Disabled"))).toEqual([off]);
    expect(update("aws_s3_bucket_versioning", status("Enabled"), status("Suspended"))).toEqual([off]);
    expect(update("aws_s3_bucket_versioning", status("Enabled"), status("Pending"))).toEqual([]);
    expect(update("aws_s3_bucket_versioning", status("Suspended"), status("Disabled"))).toEqual([]);
  });

  it("backup retention is on for any positive number of days and off only at 0", () => {
    const days = (d: unknown) => ({ backup_retention_period: d });
    const off = "turns backups off (backup_retention_period).";
    expect(update("aws_db_instance", days(1), days(0))).toEqual([off]);
    expect(update("aws_db_instance", days(35), days(0))).toEqual([off]);
    expect(update("aws_db_instance", days(7), days(1))).toEqual([]);
    expect(update("aws_db_instance", days(-1), days(0))).toEqual([]);
    expect(update("aws_db_instance", days("7"), days(0))).toEqual([]);
    expect(update("aws_db_instance", days(null), days(0))).toEqual([]);
  });

  it("a log-type list is on when it has an entry and off when empty; a non-list is neither", () => {
    const types = (t: unknown) => ({ enabled_cluster_log_types: t });
    const off = "turns logging off (enabled_cluster_log_types).";
    expect(update("aws_eks_cluster", types(["api", "audit"]), types([]))).toEqual([off]);
    expect(update("aws_eks_cluster", types("api"), types([]))).toEqual([]);
    expect(update("aws_eks_cluster", types(null), types([]))).toEqual([]);
    expect(update("aws_eks_cluster", types(["api"]), types(null))).toEqual([]);
    expect(update("aws_eks_cluster", types(["api"]), types(""))).toEqual([]);
  });

  it("flags count only as booleans", () => {
    expect(
      update("aws_db_instance", { deletion_protection: "true" }, { deletion_protection: false }),
    ).toEqual([]);
    expect(
      update("aws_db_instance", { deletion_protection: true }, { deletion_protection: "false" }),
    ).toEqual([]);
    expect(update("aws_db_instance", { deletion_protection: true }, { deletion_protection: null })).toEqual(
      [],
    );
    expect(update("aws_s3_bucket", { force_destroy: null }, { force_destroy: true })).toEqual([]);
    expect(update("aws_s3_bucket", { force_destroy: false }, { force_destroy: 1 })).toEqual([]);
  });

  it("several switches off at once are reported in table order, whatever the attribute order", () => {
    const before = { enabled_cluster_log_types: ["api"], deletion_protection: true, encrypted: true };
    const after = { enabled_cluster_log_types: [], deletion_protection: false, encrypted: false };
    const expected = [
      "turns encryption off (encrypted).",
      "turns deletion protection off (deletion_protection).",
      "turns logging off (enabled_cluster_log_types).",
    ];
    expect(update("aws_thing", before, after)).toEqual(expected);
    expect(
      update(
        "aws_thing",
        { encrypted: true, deletion_protection: true, enabled_cluster_log_types: ["api"] },
        { encrypted: false, deletion_protection: false, enabled_cluster_log_types: [] },
      ),
    ).toEqual(expected);
  });

  it("one attribute read by two switches gives both findings", () => {
    expect(
      update(
        "aws_s3_bucket",
        { versioning: [{ enabled: true }], logging: [{ target_bucket: "logs" }] },
        { versioning: [{ enabled: false }], logging: [] },
      ),
    ).toEqual(["turns backups off (versioning[0].enabled).", "turns logging off (logging)."]);
  });

  it("a replacement, import or move compares both sides like an update", () => {
    for (const actions of [
      ["delete", "create"],
      ["create", "delete"],
    ]) {
      expect(
        reasons({
          type: "aws_db_instance",
          actions,
          before: { deletion_protection: true },
          after: { deletion_protection: false },
        }),
      ).toEqual(["turns deletion protection off (deletion_protection)."]);
    }
    expect(
      reasons({
        type: "aws_db_instance",
        actions: ["update"],
        before: { deletion_protection: true },
        after: { deletion_protection: false },
        extra: { importing: { id: "db-1" } },
      }),
    ).toEqual(["turns deletion protection off (deletion_protection)."]);
  });

  it("a new resource with several switches off is flagged once per onCreate switch, in table order", () => {
    expect(
      create("aws_db_instance", {
        backup_retention_period: 0,
        deletion_protection: false,
        storage_encrypted: false,
      }),
    ).toEqual([
      "created with encryption off (storage_encrypted).",
      "created with backups off (backup_retention_period).",
    ]);
  });

  it("a value that is not an object, and a data source, give nothing", () => {
    expect(reasons({ type: "aws_db_instance", actions: ["create"], after: "x" })).toEqual([]);
    expect(
      reasons({ type: "aws_db_instance", actions: ["create"], after: [{ storage_encrypted: false }] }),
    ).toEqual([]);
    expect(
      safeguardRule(
        dataChange({ type: "aws_db_instance", actions: ["read"], after: { storage_encrypted: false } }),
      ),
    ).toEqual([]);
    expect(
      safeguardRule(
        dataChange({
          type: "aws_db_instance",
          actions: ["update"],
          before: { encrypted: true },
          after: { encrypted: false },
        }),
      ),
    ).toEqual([]);
    expect(
      safeguardRule(dataChange({ type: "aws_cloudtrail", actions: ["delete"], before: { id: "x" } })),
    ).toEqual([]);
  });

  it("a no-op, read or forget writes nothing, so its after value is not checked", () => {
    for (const actions of [["no-op"], ["read"]]) {
      expect(
        reasons({
          type: "aws_db_instance",
          actions,
          before: { deletion_protection: true },
          after: { deletion_protection: false },
        }),
      ).toEqual([]);
    }
  });
});

/** Resources whose only purpose is a safeguard, and which safeguard. */
const SAFEGUARD_RESOURCES: [string, string][] = [
  ["aws_s3_bucket_server_side_encryption_configuration", "encryption"],
  ["aws_ebs_encryption_by_default", "encryption"],
  ["aws_s3_bucket_versioning", "backups"],
  ["aws_backup_plan", "backups"],
  ["aws_backup_selection", "backups"],
  ["aws_db_instance_automated_backups_replication", "backups"],
  ["aws_s3_bucket_logging", "logging"],
  ["aws_cloudtrail", "logging"],
  ["aws_flow_log", "logging"],
  ["aws_config_configuration_recorder", "logging"],
  ["aws_config_configuration_recorder_status", "logging"],
  ["aws_guardduty_detector", "logging"],
  ["aws_securityhub_account", "logging"],
];

describe("safeguardRule: safeguard resources", () => {
  it.each(SAFEGUARD_RESOURCES)("destroying or forgetting %s turns %s off (high)", (type, what) => {
    const expected = [
      {
        rule: "protection-off",
        severity: "high",
        address: `${type}.this`,
        resourceType: type,
        reason: `removes ${type}: ${what} is turned off.`,
      },
    ];
    expect(safeguardRule(change({ type, actions: ["delete"], before: { id: "x" } }))).toEqual(expected);
    expect(safeguardRule(change({ type, actions: ["forget"], before: { id: "x" } }))).toEqual(expected);
  });

  it.each(SAFEGUARD_RESOURCES)("creating, updating or replacing %s is no finding of its own", (type) => {
    expect(create(type, { id: "x" })).toEqual([]);
    expect(update(type, { id: "x" }, { id: "y" })).toEqual([]);
    expect(reasons({ type, actions: ["delete", "create"], before: { id: "x" }, after: { id: "y" } })).toEqual(
      [],
    );
  });

  it("destroying any other resource is no finding", () => {
    expect(reasons({ type: "aws_s3_bucket", actions: ["delete"], before: { id: "x" } })).toEqual([]);
    expect(reasons({ type: "aws_instance", actions: ["forget"], before: { id: "x" } })).toEqual([]);
  });

  it("EBS encryption by default set to disabled is high, whether created, updated or already off", () => {
    const off = ["turns EBS encryption by default off (enabled)."];
    expect(
      safeguardRule(
        change({
          type: "aws_ebs_encryption_by_default",
          actions: ["update"],
          before: { enabled: true },
          after: { enabled: false },
        }),
      ),
    ).toEqual([
      {
        rule: "protection-off",
        severity: "high",
        address: "aws_ebs_encryption_by_default.this",
        resourceType: "aws_ebs_encryption_by_default",
        reason: off[0],
      },
    ]);
    expect(create("aws_ebs_encryption_by_default", { enabled: false })).toEqual(off);
    expect(update("aws_ebs_encryption_by_default", { enabled: false }, { enabled: false })).toEqual(off);
    expect(update("aws_ebs_encryption_by_default", { enabled: false }, { enabled: true })).toEqual([]);
    expect(update("aws_ebs_encryption_by_default", { enabled: true }, { enabled: null })).toEqual([]);
    expect(update("aws_something_else", { enabled: true }, { enabled: false })).toEqual([]);
  });
});
