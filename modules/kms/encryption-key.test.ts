import { Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { Namer } from "../naming/namer.ts";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { EncryptionKey, type EncryptionKeyProps, kmsAliasName } from "./encryption-key.ts";

interface Policy {
  Version: string;
  Statement: Record<string, unknown>[];
}

function build(props: EncryptionKeyProps = {}, configure?: (key: EncryptionKey) => void) {
  const stack = testStack();
  const key = new EncryptionKey(stack, "key", props);
  configure?.(key);
  const json = synthJson(stack);
  const keys = Object.entries(resourcesOf(json, "aws_kms_key"));
  expect(keys).toHaveLength(1);
  const [address, config] = keys[0] as [string, Record<string, unknown>];
  const policy = (): Policy => JSON.parse(config.policy as string) as Policy;
  return { stack, key, json, address, config, policy };
}

const CLOUDWATCH = {
  Sid: "CloudWatchUsesKey",
  Effect: "Allow",
  Principal: { Service: "cloudwatch.amazonaws.com" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
};

describe("EncryptionKey", () => {
  it("is a rotating symmetric key with a 30-day deletion window, addressed by its own id", () => {
    const { address, config, json } = build({ description: "Encrypts things" });
    expect(address).toBe("key");
    expect(config).toMatchObject({
      description: "Encrypts things",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(config).not.toHaveProperty("customer_master_key_spec");
    expect(resourcesOf(json, "aws_kms_alias")).toEqual({});
  });

  it("writes no policy and reads no account data when given no statements (AWS's default policy applies)", () => {
    const { config, json } = build();
    expect(config).not.toHaveProperty("policy");
    expect(json.data ?? {}).toEqual({});
  });

  it("heads a given policy with the account root administering the key, then the given statements", () => {
    const { policy, json } = build({ policyStatements: [CLOUDWATCH] });
    const { Version, Statement } = policy();
    expect(Version).toBe("2012-10-17");
    expect(Statement).toHaveLength(2);
    expect(Statement[0]).toEqual({
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: {
        AWS: expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::\$\{data\.aws_caller_identity\.\w+\.account_id\}:root$/,
        ),
      },
      Action: "kms:*",
      Resource: "*",
    });
    expect(Statement[1]).toEqual(CLOUDWATCH);
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
    expect(Object.keys(json.data?.aws_partition ?? {})).toHaveLength(1);
  });

  it("appends statements added later, after those given, reading the account only once", () => {
    const extra = {
      Sid: "Extra",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:Decrypt",
      Resource: "*",
    };
    const { policy, json } = build({ policyStatements: [CLOUDWATCH] }, (key) => {
      expect([key.accountId, key.partition].every((t) => Token.isUnresolved(t))).toBe(true);
      key.addToResourcePolicy(extra);
    });
    expect(policy().Statement.map((s) => s.Sid)).toEqual([
      "AccountAdministers",
      "CloudWatchUsesKey",
      "Extra",
    ]);
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toHaveLength(1);
    expect(Object.keys(json.data?.aws_partition ?? {})).toHaveLength(1);
  });

  it("aliases the key with a Namer name, adding alias/ only where it is missing", () => {
    for (const given of ["dev-app-kms", "alias/dev-app-kms"]) {
      const { json, address, key } = build({ aliasName: given });
      expect(key.aliasName).toBe("alias/dev-app-kms");
      expect(Object.values(resourcesOf(json, "aws_kms_alias"))).toEqual([
        { name: "alias/dev-app-kms", target_key_id: `\${aws_kms_key.${address}.key_id}` },
      ]);
    }
    const stack = testStack();
    const name = Namer.of(stack).name("kms-alias", "app", "kms");
    expect(new EncryptionKey(stack, "key", { aliasName: name }).aliasName).toBe("alias/dev-app-kms");
    expect(kmsAliasName("alias/x")).toBe("alias/x");
    expect(kmsAliasName("x")).toBe("alias/x");
  });

  it("takes a deletion window from 7 to 30 days and refuses others", () => {
    expect(build({ deletionWindowInDays: 7 }).config.deletion_window_in_days).toBe(7);
    for (const days of [6, 31, 7.5]) {
      expect(() => build({ deletionWindowInDays: days })).toThrow(
        `EncryptionKey: deletionWindowInDays must be an integer from 7 to 30, got ${days}`,
      );
    }
  });
});
