/**
 * The CI roles' policy documents, as literal JSON so the secure-default rules can read them
 * (Terraform interpolations such as ARNs stay inside the strings).
 */

const GITHUB = "token.actions.githubusercontent.com";

type Statement = Record<string, unknown>;
const doc = (statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** Trust for GitHub Actions: exact audience and exact subjects, no wildcards. */
export function trustPolicy(oidcProviderArn: string, subjects: readonly string[]): string {
  return doc([
    {
      Sid: "GitHubActionsOfThisRepository",
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { [`${GITHUB}:aud`]: "sts.amazonaws.com", [`${GITHUB}:sub`]: [...subjects] },
      },
    },
  ]);
}

export interface StateAccess {
  readonly stateBucketArn: string;
  readonly stateKmsKeyArn: string;
}

/**
 * Plan reads every state file and writes only lock files (`<key>.tflock`), plus the KMS use that
 * needs. ReadOnlyAccess (attached separately) would also let it read any S3 object or secret; plan
 * never needs those, so they are denied.
 */
export function planStatePolicy({ stateBucketArn, stateKmsKeyArn }: StateAccess): string {
  return doc([
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: stateBucketArn },
    { Sid: "ReadState", Effect: "Allow", Action: "s3:GetObject", Resource: `${stateBucketArn}/*` },
    {
      Sid: "LockState",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${stateBucketArn}/*.tflock`,
    },
    {
      Sid: "UseStateKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: stateKmsKeyArn,
    },
    {
      Sid: "DenyReadingOtherObjects",
      Effect: "Deny",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      NotResource: `${stateBucketArn}/*`,
    },
    { Sid: "DenyReadingSecrets", Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*" },
  ]);
}

export interface ApplyPolicyInput extends StateAccess {
  readonly services: readonly string[];
  readonly regions: readonly string[];
  readonly partition: string;
  readonly account: string;
  /** e.g. "dev-": IAM is managed only on names with this prefix. */
  readonly environmentPrefix: string;
  /** The CI roles themselves, which apply must not change (they are the bootstrap stack's). */
  readonly ciRoleArns: readonly string[];
  /** SSM parameters the stacks read (e.g. a chat webhook URL). */
  readonly parameterArns: readonly string[];
}

/**
 * Apply manages the platform's services in full within the environment's regions (their resources
 * have generated ids, so names cannot scope them), IAM only on the environment's own names, and S3
 * only on the state objects. Denies stop the two escalations IAM access would otherwise allow:
 * attaching an administrator policy, and rewriting the CI roles' own trust or permissions.
 */
export function applyPolicy(input: ApplyPolicyInput): string {
  const { partition, account, environmentPrefix: prefix } = input;
  const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
  const awsPolicy = (name: string) => `arn:${partition}:iam::aws:policy/${name}`;
  return doc([
    {
      Sid: "ManagePlatformServices",
      Effect: "Allow",
      Action: input.services.map((s) => `${s}:*`),
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": [...input.regions] } },
    },
    { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
    {
      Sid: "ManageEnvironmentIam",
      Effect: "Allow",
      Action: "iam:*",
      Resource: [
        iam(`role/${prefix}*`),
        iam(`policy/${prefix}*`),
        iam(`instance-profile/${prefix}*`),
        iam("oidc-provider/oidc.eks.*"),
      ],
    },
    {
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: iam("role/aws-service-role/*"),
    },
    {
      Sid: "ReadPublicParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: `arn:${partition}:ssm:*::parameter/aws/service/*`,
    },
    ...(input.parameterArns.length > 0
      ? [
          {
            Sid: "ReadStackParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:GetParameters"],
            Resource: [...input.parameterArns],
          },
        ]
      : []),
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: input.stateBucketArn },
    {
      Sid: "ReadWriteState",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${input.stateBucketArn}/*`,
    },
    {
      Sid: "DenyAdministratorPolicies",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy"],
      Resource: "*",
      Condition: {
        ArnEquals: {
          "iam:PolicyARN": [
            awsPolicy("AdministratorAccess"),
            awsPolicy("IAMFullAccess"),
            awsPolicy("PowerUserAccess"),
          ],
        },
      },
    },
    {
      Sid: "DenyChangingCiRoles",
      Effect: "Deny",
      NotAction: ["iam:Get*", "iam:List*"],
      Resource: [...input.ciRoleArns],
    },
    {
      Sid: "ProtectStateKey",
      Effect: "Deny",
      Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
      Resource: input.stateKmsKeyArn,
    },
  ]);
}
