import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { podIdentityTrustPolicy } from "../cluster/cluster.ts";
import { EncryptionKey } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";

/** A Secrets Manager secret the construct creates for the workload, with no value. */
export interface WorkloadSecretSpec {
  /** What the secret holds and how it is set (shown in the console). */
  readonly description: string;
}

/** A secret made elsewhere (say, RDS's managed master-user secret) the workload may read. */
export interface ReadableSecret {
  /** The secret's ARN. */
  readonly secretArn: string;
  /**
   * The KMS key the secret is encrypted with, which the role may use through Secrets Manager only.
   * @default none (the secret uses the account's aws/secretsmanager key)
   */
  readonly kmsKeyArn?: string;
}

export interface WorkloadIdentityProps {
  /**
   * Glossary tokens naming the workload: its role is `{env}-{tokens}-role`, its secrets
   * `{env}-{tokens}-{key}-secrets`, e.g. ["webhook"].
   */
  readonly nameTokens: readonly string[];
  /** The EKS cluster the workload runs in (the Pod Identity association is made there). */
  readonly clusterName: string;
  /** Namespace the workload runs in, e.g. "prod-webhook". */
  readonly namespace: string;
  /** Service account its pods use (the service chart's default is the release name, e.g. "prod-webhook"). */
  readonly serviceAccount: string;
  /**
   * Secrets to create, by key (lowercase words joined by '-'). They are created WITHOUT a value:
   * values are put out of band (`aws secretsmanager put-secret-value`), so no secret sits in Git or
   * in Terraform state. Encrypted with a key of their own.
   * @default none
   */
  readonly secrets?: Readonly<Record<string, WorkloadSecretSpec>>;
  /**
   * Secrets made elsewhere that the workload may read.
   * @default none
   */
  readonly readableSecrets?: readonly ReadableSecret[];
  /**
   * Days a deleted secret can still be restored (7–30).
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

const TOKEN = /^[a-z][a-z0-9]*$/;
const KEY = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;

/**
 * What one workload in the cluster may reach in AWS, and nothing more: an IAM role assumed through
 * EKS Pod Identity by (namespace, service account), allowed to read (GetSecretValue, DescribeSecret)
 * only its own secrets and the listed ones, and to decrypt with their keys only through Secrets
 * Manager. Its pods mount those secrets as files with the Secrets Store CSI driver
 * (docs/adr/0003-workload-secrets.md), which calls AWS with this role.
 */
export class WorkloadIdentity extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** ARNs of the secrets created here, by key. */
  readonly secretArns: Readonly<Record<string, string>>;
  /** Names of the secrets created here, by key (where `put-secret-value` writes). */
  readonly secretNames: Readonly<Record<string, string>>;
  /** The key encrypting the secrets created here (undefined when there are none). */
  readonly kmsKeyArn: string | undefined;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    validate(props);
    const namer = Namer.of(this);
    const tokens = props.nameTokens;
    const specs = Object.entries(props.secrets ?? {});

    const key =
      specs.length > 0
        ? new EncryptionKey(this, "key", {
            description: `Secrets of ${tokens.join("-")}`,
            aliasName: namer.name("kms-alias", ...tokens, "secrets", "key"),
          })
        : undefined;
    const secrets = specs.map(([name, spec]) => {
      const secret = new SecretsmanagerSecret(this, `secret-${name}`, {
        name: namer.name("secret", ...tokens, ...name.split("-"), "secrets"),
        description: spec.description,
        kmsKeyId: key?.arn,
        recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      });
      return [name, secret] as const;
    });

    const role = new IamRole(this, "role", {
      name: namer.name("iam-role", ...tokens, "role"),
      description: `Pod Identity of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: podIdentityTrustPolicy(),
    });
    const secretArns = [
      ...secrets.map(([, s]) => s.arn),
      ...(props.readableSecrets ?? []).map((s) => s.secretArn),
    ];
    const keyArns = [
      ...(key ? [key.arn] : []),
      ...(props.readableSecrets ?? []).flatMap((s) => (s.kmsKeyArn ? [s.kmsKeyArn] : [])),
    ];
    const region = new DataAwsRegion(this, "region").region;
    const statements: Record<string, unknown>[] = [];
    if (secretArns.length > 0) {
      statements.push({
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: secretArns,
      });
    }
    if (keyArns.length > 0) {
      statements.push({
        Sid: "DecryptThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: keyArns,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      });
    }
    const policy =
      statements.length > 0
        ? new IamRolePolicy(this, "policy", {
            name: namer.name("iam-policy", ...tokens, "policy"),
            role: role.id,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
          })
        : undefined;
    new EksPodIdentityAssociation(this, "identity", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: role.arn,
      ...(policy ? { dependsOn: [policy] } : {}),
    });

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.secretArns = Object.fromEntries(secrets.map(([name, s]) => [name, s.arn]));
    this.secretNames = Object.fromEntries(secrets.map(([name, s]) => [name, s.name]));
    this.kmsKeyArn = key?.arn;
  }

  /** The ARN of the secret created here under `key`; throws for a key it did not create. */
  secretArn(key: string): string {
    const arn = this.secretArns[key];
    if (arn === undefined) {
      throw new Error(
        `WorkloadIdentity ${this.node.path}: no secret '${key}', only ${JSON.stringify(Object.keys(this.secretArns))}`,
      );
    }
    return arn;
  }
}

function validate(props: WorkloadIdentityProps): void {
  const fail = (message: string): never => {
    throw new Error(`WorkloadIdentity: ${message}`);
  };
  if (props.nameTokens.length === 0) fail("nameTokens must hold at least one glossary token, got []");
  for (const t of props.nameTokens) {
    if (!TOKEN.test(t)) fail(`nameTokens entries must be lowercase glossary words, got '${t}'`);
  }
  for (const key of ["namespace", "serviceAccount"] as const) {
    const value = props[key];
    if (!Token.isUnresolved(value) && (!K8S_NAME.test(value) || value.length > 63)) {
      fail(`${key} must be a Kubernetes name (lowercase, digits, '-', ≤ 63), got '${value}'`);
    }
  }
  for (const [name, spec] of Object.entries(props.secrets ?? {})) {
    if (!KEY.test(name)) fail(`secrets key must be lowercase glossary words joined by '-', got '${name}'`);
    if (spec.description.trim() === "") fail(`secrets.${name}.description must say what the secret holds`);
  }
  (props.readableSecrets ?? []).forEach((s, i) => {
    if (!Token.isUnresolved(s.secretArn) && !SECRET_ARN.test(s.secretArn)) {
      fail(`readableSecrets[${i}].secretArn must be a Secrets Manager secret ARN, got '${s.secretArn}'`);
    }
    if (s.kmsKeyArn !== undefined && !Token.isUnresolved(s.kmsKeyArn) && !KEY_ARN.test(s.kmsKeyArn)) {
      fail(`readableSecrets[${i}].kmsKeyArn must be a KMS key ARN, got '${s.kmsKeyArn}'`);
    }
  });
  const days = props.recoveryWindowInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 7 || days > 30)) {
    fail(`recoveryWindowInDays must be a whole number from 7 to 30, got ${days}`);
  }
}
