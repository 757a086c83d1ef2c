import { Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { secureDefaultRules } from "../../core/rules/index.ts";
import { runRules } from "../../core/rules/run.ts";
import { resourcesOf, synthJson, synthStack, testStack } from "../test/stack.ts";
import { WorkloadIdentity, type WorkloadIdentityProps } from "./workload-identity.ts";

const MASTER = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1234-AbCdEf";
const MASTER_KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b5c8f4e-1111-2222-3333-444455556666";
const base: WorkloadIdentityProps = {
  nameTokens: ["webhook"],
  clusterName: "dev-eks-cluster",
  namespace: "dev-webhook",
  serviceAccount: "dev-webhook",
  secrets: { github: { description: "GitHub App private key and webhook secret" } },
  readableSecrets: [{ secretArn: MASTER, kmsKeyArn: MASTER_KEY }],
};

function build(props: Partial<WorkloadIdentityProps> = {}) {
  const stack = testStack();
  const identity = new WorkloadIdentity(stack, "webhook", { ...base, ...props });
  const json = synthJson(stack);
  const all = (type: string) => Object.values(resourcesOf(json, type));
  return { stack, identity, json, all };
}

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string[];
  Condition?: unknown;
}
const statementsOf = (policy: unknown) =>
  (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;

describe("WorkloadIdentity", () => {
  it("creates its secrets without a value, encrypted with a key of its own, named from the glossary", () => {
    const { all } = build();
    const [secret] = all("aws_secretsmanager_secret");
    expect(all("aws_secretsmanager_secret")).toHaveLength(1);
    expect(secret).toMatchObject({ name: "dev-webhook-github-secrets", recovery_window_in_days: 30 });
    expect(String(secret?.kms_key_id)).toMatch(/^\$\{aws_kms_key\./);
    // The value is put out of band: no version resource, so no secret in Git or in the state.
    expect(all("aws_secretsmanager_secret_version")).toEqual([]);
    expect(all("aws_kms_alias")[0]?.name).toBe("alias/dev-webhook-secrets-key");
    expect(all("aws_kms_key")[0]?.enable_key_rotation).toBe(true);
  });

  it("lets only its service account assume its role, through Pod Identity", () => {
    const { all } = build();
    const [role] = all("aws_iam_role");
    expect(role?.name).toBe("dev-webhook-role");
    expect(JSON.parse(String(role?.assume_role_policy)).Statement).toEqual([
      expect.objectContaining({ Principal: { Service: "pods.eks.amazonaws.com" } }),
    ]);
    expect(all("aws_eks_pod_identity_association")).toEqual([
      expect.objectContaining({
        cluster_name: "dev-eks-cluster",
        namespace: "dev-webhook",
        service_account: "dev-webhook",
        role_arn: expect.stringMatching(/^\$\{aws_iam_role\..*\.arn\}$/),
      }),
    ]);
  });

  it("reads only its own and the listed secrets, and decrypts only through Secrets Manager", () => {
    const { all } = build();
    const [policy] = all("aws_iam_role_policy");
    const [read, decrypt] = statementsOf(policy?.policy);
    expect(read).toMatchObject({
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: [expect.stringMatching(/^\$\{aws_secretsmanager_secret\..*\.arn\}$/), MASTER],
    });
    expect(decrypt).toMatchObject({
      Action: "kms:Decrypt",
      Resource: [expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/), MASTER_KEY],
      Condition: {
        StringEquals: { "kms:ViaService": expect.stringMatching(/^secretsmanager\.\$\{data\.aws_region\./) },
      },
    });
    expect(JSON.stringify(statementsOf(policy?.policy))).not.toMatch(/"\*"|secretsmanager:\*|kms:\*/);
  });

  it("passes the secure-default rules (backend and boundary come from infra/'s stacks, not from here)", () => {
    const { stack } = build();
    const violations = runRules([synthStack(stack)], secureDefaultRules).filter(
      (v) => v.rule !== "backend-encrypted-locking" && v.rule !== "iam-role-has-boundary",
    );
    expect(violations).toEqual([]);
  });

  it("gives a created secret's ARN by key, and refuses a key it did not create", () => {
    const { identity } = build();
    expect(identity.secretArn("github")).toBe(identity.secretArns.github);
    expect(Token.isUnresolved(identity.secretArn("github"))).toBe(true);
    expect(() => identity.secretArn("slack")).toThrow(/no secret 'slack', only \["github"\]/);
  });

  it("makes no key and no policy statement it does not need", () => {
    const { all } = build({ secrets: {}, readableSecrets: [{ secretArn: MASTER }] });
    expect(all("aws_kms_key")).toEqual([]);
    const statements = statementsOf(all("aws_iam_role_policy")[0]?.policy);
    expect(statements.map((s) => s.Sid)).toEqual(["ReadOwnSecrets"]);
    expect(build({ secrets: {}, readableSecrets: [] }).all("aws_iam_role_policy")).toEqual([]);
  });

  it("refuses bad props, naming the field and the value", () => {
    expect(() => build({ nameTokens: ["Webhook"] })).toThrow(
      "WorkloadIdentity: nameTokens entries must be lowercase glossary words, got 'Webhook'",
    );
    expect(() => build({ namespace: "Dev_Webhook" })).toThrow(
      /namespace must be a Kubernetes name.*'Dev_Webhook'/,
    );
    expect(() => build({ secrets: { "GitHub Key": { description: "x" } } })).toThrow(
      /secrets key must be lowercase glossary words joined by '-', got 'GitHub Key'/,
    );
    expect(() => build({ readableSecrets: [{ secretArn: "rds!db-1234" }] })).toThrow(
      "WorkloadIdentity: readableSecrets[0].secretArn must be a Secrets Manager secret ARN, got 'rds!db-1234'",
    );
    expect(() => build({ recoveryWindowInDays: 0 })).toThrow(/recoveryWindowInDays must be .* got 0/);
  });

  it("refuses a name the glossary does not know", () => {
    expect(() => build({ secrets: { "private-key": { description: "x" } } })).toThrow(/private/);
  });
});
