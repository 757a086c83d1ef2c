/**
 * The CI roles' policy documents, as literal JSON so the secure-default rules can read them
 * (Terraform interpolations such as ARNs stay inside the strings).
 */

const GITHUB = "token.actions.githubusercontent.com";

type Statement = Record<string, unknown>;
const doc = (statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/**
 * Trust for GitHub Actions: exact audience and exact subjects, no wildcards; with `jobWorkflowRefs`,
 * only jobs running one of those reusable workflows (`job_workflow_ref`, which GitHub sets from the
 * called workflow's own ref, so a pull request cannot rewrite it on its branch).
 */
export function trustPolicy(
  oidcProviderArn: string,
  subjects: readonly string[],
  jobWorkflowRefs: readonly string[] = [],
): string {
  return doc([
    {
      Sid: "GitHubActionsOfThisRepository",
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB}:aud`]: "sts.amazonaws.com",
          [`${GITHUB}:sub`]: [...subjects],
          ...(jobWorkflowRefs.length > 0 ? { [`${GITHUB}:job_workflow_ref`]: [...jobWorkflowRefs] } : {}),
        },
      },
    },
  ]);
}

/** Log reads that return events (which may hold tokens, e-mail addresses, request bodies). */
export const LOG_EVENT_READS: readonly string[] = [
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "logs:StartLiveTail",
  "logs:GetLogRecord",
  "logs:Unmask",
];

/** Parameter reads (SecureString values among them). */
export const PARAMETER_READS: readonly string[] = [
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
];

export interface StateAccess {
  readonly stateBucketArn: string;
  readonly stateKmsKeyArn: string;
}

export interface PlanPolicyInput extends StateAccess {
  /**
   * Parameters plan may still read (the stacks' data sources, AWS's public `/aws/service/*` ones).
   * IAM has no condition key for a parameter's type, so SecureStrings cannot be singled out: every
   * other parameter is denied.
   */
  readonly readableParameterArns: readonly string[];
}

/**
 * Plan reads every state file and writes only lock files (`<key>.tflock`), plus the KMS use that
 * needs. ReadOnlyAccess (attached separately) would also let it read any S3 object, secret, parameter,
 * log event or queue message; plan never needs those, and a pull request's code runs with this role,
 * so they are denied.
 */
export function planStatePolicy({
  stateBucketArn,
  stateKmsKeyArn,
  readableParameterArns,
}: PlanPolicyInput): string {
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
    {
      Sid: "DenyReadingParameters",
      Effect: "Deny",
      Action: [...PARAMETER_READS],
      NotResource: [...readableParameterArns],
    },
    { Sid: "DenyReadingLogEvents", Effect: "Deny", Action: [...LOG_EVENT_READS], Resource: "*" },
    // Queue messages are tenant data; plan only needs queue attributes.
    { Sid: "DenyReadingMessages", Effect: "Deny", Action: "sqs:ReceiveMessage", Resource: "*" },
  ]);
}

export interface ApplyPolicyInput extends StateAccess {
  readonly services: readonly string[];
  readonly regions: readonly string[];
  /** Regions backup copies go to: apply manages backup, backup-storage and kms there. */
  readonly backupCopyRegions: readonly string[];
  /** Route 53 zones apply may write records in. */
  readonly hostedZoneIds?: readonly string[];
  /** ACM in us-east-1 and CloudFront distribution updates, for a Cognito custom domain. */
  readonly cloudFrontCertificates?: boolean;
  readonly partition: string;
  readonly account: string;
  /** e.g. "dev-": IAM is managed only on names with this prefix. */
  readonly environmentPrefix: string;
  /** The CI roles themselves, which apply must not change (they are the bootstrap stack's). */
  readonly ciRoleArns: readonly string[];
  /** SSM parameters the stacks read (e.g. a chat webhook URL). */
  readonly parameterArns: readonly string[];
  /**
   * ARN of the workload permissions boundary: every role apply creates or grants permissions to must
   * carry it, and apply may not change or remove it.
   */
  readonly boundaryPolicyArn: string;
}

/** Role actions that can give a role permissions; apply may use them only on roles inside the boundary. */
export const BOUNDED_ROLE_ACTIONS: readonly string[] = [
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
];

/**
 * Apply manages the platform's services in full within the environment's regions (their resources
 * have generated ids, so names cannot scope them), IAM only on the environment's own names, and S3
 * only on the state objects. Denies stop the escalations IAM access would otherwise allow:
 * attaching an administrator policy, rewriting the CI roles' own trust or permissions, and creating
 * (or granting to) a role outside the workload permissions boundary, e.g. a `<env>-x` role with a
 * `*`-on-`*` inline policy that trusts the apply role. The boundary itself may not be changed.
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
    ...(input.backupCopyRegions.length > 0
      ? [
          {
            Sid: "ManageBackupCopyVaults",
            Effect: "Allow",
            Action: ["backup:*", "backup-storage:*", "kms:*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": [...input.backupCopyRegions] } },
          },
        ]
      : []),
    ...((input.hostedZoneIds ?? []).length > 0
      ? [
          {
            Sid: "ManageRecordsInTheEnvironmentsZones",
            Effect: "Allow",
            Action: [
              "route53:GetHostedZone",
              "route53:ListResourceRecordSets",
              "route53:ChangeResourceRecordSets",
            ],
            Resource: (input.hostedZoneIds ?? []).map((id) => `arn:${partition}:route53:::hostedzone/${id}`),
          },
          {
            Sid: "FollowRecordChanges",
            Effect: "Allow",
            Action: "route53:GetChange",
            Resource: `arn:${partition}:route53:::change/*`,
          },
        ]
      : []),
    ...(input.cloudFrontCertificates
      ? [
          {
            Sid: "ManageCloudFrontCertificates",
            Effect: "Allow",
            Action: "acm:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
          },
          {
            // Cognito creates (and updates) the CloudFront distribution of a custom domain on the caller's behalf.
            Sid: "LetCognitoUpdateItsDistribution",
            Effect: "Allow",
            Action: "cloudfront:UpdateDistribution",
            Resource: "*",
          },
        ]
      : []),
    { Sid: "ReadIam", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
    {
      Sid: "ManageEnvironmentIam",
      Effect: "Allow",
      Action: "iam:*",
      Resource: [iam(`role/${prefix}*`), iam(`policy/${prefix}*`), iam(`instance-profile/${prefix}*`)],
    },
    {
      // Restates, for the role-granting actions, what ManageEnvironmentIam allows, with the condition
      // that makes it safe; DenyRolesOutsideBoundary below is what enforces it.
      Sid: "GrantEnvironmentRolesWithinBoundary",
      Effect: "Allow",
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: iam(`role/${prefix}*`),
      Condition: { StringEquals: { "iam:PermissionsBoundary": input.boundaryPolicyArn } },
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
      // StringNotEquals also matches when the request carries no boundary at all.
      Sid: "DenyRolesOutsideBoundary",
      Effect: "Deny",
      Action: [...BOUNDED_ROLE_ACTIONS],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": input.boundaryPolicyArn } },
    },
    {
      Sid: "DenyRemovingBoundaries",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
      Resource: "*",
    },
    {
      // Workloads reach AWS through EKS Pod Identity, so no stack needs an OIDC (IRSA) or SAML provider;
      // registering one would let its issuer's tokens into any role that trusts it.
      Sid: "DenyIdentityProviders",
      Effect: "Deny",
      Action: [...IDENTITY_PROVIDER_WRITES],
      Resource: "*",
    },
    {
      Sid: "DenyChangingBoundary",
      Effect: "Deny",
      NotAction: ["iam:Get*", "iam:List*"],
      Resource: input.boundaryPolicyArn,
    },
    {
      Sid: "ProtectStateKey",
      Effect: "Deny",
      Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
      Resource: input.stateKmsKeyArn,
    },
  ]);
}

export interface BoundaryPolicyInput extends StateAccess {
  readonly partition: string;
  /** The account the environment lives in (roles outside it may not be assumed). */
  readonly account: string;
  /** e.g. "dev-": bounded roles may assume only roles with this prefix. */
  readonly environmentPrefix: string;
  /** Regions bounded roles may call services in (aws:RequestedRegion). */
  readonly regions: readonly string[];
  /** Regions backup copies go to (backup, backup-storage, kms and rds only). */
  readonly backupCopyRegions: readonly string[];
  /**
   * Roles bounded roles may pass, to EC2 only (e.g. the node role, for Karpenter's instances). Every
   * other iam:PassRole is denied.
   */
  readonly passableRoleArns: readonly string[];
  /** Services (IAM action prefixes) workload and service roles may use, e.g. "ec2", "sqs". */
  readonly services: readonly string[];
}

/** What copying a recovery point into another region calls there. */
const BACKUP_COPY_SERVICES = ["backup", "backup-storage", "kms", "rds"];

/** Creating or changing a federated identity provider (OIDC, SAML). */
export const IDENTITY_PROVIDER_WRITES: readonly string[] = [
  "iam:CreateOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
  "iam:CreateSAMLProvider",
  "iam:UpdateSAMLProvider",
  "iam:DeleteSAMLProvider",
];

/** SSM actions that run commands or code on instances (or open a shell on them). */
export const SSM_EXECUTION_ACTIONS: readonly string[] = [
  "ssm:SendCommand",
  "ssm:StartSession",
  "ssm:ResumeSession",
  "ssm:StartAutomationExecution",
  "ssm:StartChangeRequestExecution",
  "ssm:CreateAssociation",
  "ssm:CreateAssociationBatch",
  "ssm:UpdateAssociation",
  "ssm:CreateDocument",
  "ssm:UpdateDocument",
  "ssm:RegisterTaskWithMaintenanceWindow",
  "ssm:UpdateMaintenanceWindowTask",
];

/** IAM write actions, by verb. Service-linked roles are exempt: AWS fixes their permissions. */
const IAM_WRITES = [
  "Add",
  "Attach",
  "Change",
  "Create",
  "Deactivate",
  "Delete",
  "Detach",
  "Enable",
  "Put",
  "Remove",
  "Reset",
  "Resync",
  "Set",
  "Tag",
  "Untag",
  "Update",
  "Upload",
].map((verb) => `iam:${verb}*`);

/**
 * The permissions boundary of every role the apply role creates: the most those roles can ever do,
 * whatever policies apply attaches. It allows the services workloads and AWS services use, in the
 * environment's regions only, and denies what would let a bounded role escape: IAM writes (new roles,
 * policies, trust, boundaries), assuming roles outside the environment (`role/{env}-*` of its account),
 * running commands on instances through SSM, rewriting key policies, opening buckets, Organizations
 * and account changes, and the Terraform state (whose writer controls every stack).
 */
export function boundaryPolicy(input: BoundaryPolicyInput): string {
  return doc([
    {
      Sid: "AllowWorkloadServicesInTheEnvironmentsRegions",
      Effect: "Allow",
      Action: input.services.map((s) => `${s}:*`),
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": [...input.regions] } },
    },
    ...(input.backupCopyRegions.length > 0
      ? [
          {
            Sid: "AllowBackupCopiesInCopyRegions",
            Effect: "Allow",
            Action: BACKUP_COPY_SERVICES.map((service) => `${service}:*`),
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": [...input.backupCopyRegions] } },
          },
        ]
      : []),
    {
      Sid: "AllowIamReadsAndServiceLinkedRoles",
      Effect: "Allow",
      Action: ["iam:Get*", "iam:List*", "iam:CreateServiceLinkedRole"],
      Resource: "*",
    },
    {
      Sid: "DenyIamWrites",
      Effect: "Deny",
      Action: IAM_WRITES,
      NotResource: `arn:${input.partition}:iam::*:role/aws-service-role/*`,
    },
    ...(input.passableRoleArns.length > 0
      ? [
          {
            Sid: "AllowPassingNodeRolesToEc2",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: [...input.passableRoleArns],
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
          },
        ]
      : []),
    {
      // AWS's price list lives in us-east-1 whatever the caller's region; reading it grants nothing.
      Sid: "AllowPriceListReads",
      Effect: "Allow",
      Action: ["pricing:GetProducts", "pricing:DescribeServices", "pricing:GetAttributeValues"],
      Resource: "*",
    },
    {
      Sid: "DenyPassingOtherRoles",
      Effect: "Deny",
      Action: "iam:PassRole",
      ...(input.passableRoleArns.length > 0
        ? { NotResource: [...input.passableRoleArns] }
        : { Resource: "*" }),
    },
    {
      Sid: "DenyPassingRolesBeyondEc2",
      Effect: "Deny",
      Action: "iam:PassRole",
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "DenyChangingBoundaries",
      Effect: "Deny",
      Action: [
        "iam:DeleteRolePermissionsBoundary",
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary",
        "iam:PutUserPermissionsBoundary",
      ],
      Resource: "*",
    },
    {
      Sid: "DenyAssumingRolesOutsideTheEnvironment",
      Effect: "Deny",
      Action: "sts:AssumeRole",
      NotResource: `arn:${input.partition}:iam::${input.account}:role/${input.environmentPrefix}*`,
    },
    { Sid: "DenySsmCommandExecution", Effect: "Deny", Action: [...SSM_EXECUTION_ACTIONS], Resource: "*" },
    {
      Sid: "DenyKeyPolicyChanges",
      Effect: "Deny",
      Action: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"],
      Resource: "*",
    },
    {
      Sid: "DenyOpeningBuckets",
      Effect: "Deny",
      Action: [
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketAcl",
        "s3:PutObjectAcl",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutAccountPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
      ],
      Resource: "*",
    },
    {
      Sid: "DenyOrganizationAndAccountChanges",
      Effect: "Deny",
      Action: ["organizations:*", "account:*"],
      Resource: "*",
    },
    {
      Sid: "DenyTerraformState",
      Effect: "Deny",
      Action: ["s3:*", "kms:*"],
      Resource: [input.stateBucketArn, `${input.stateBucketArn}/*`, input.stateKmsKeyArn],
    },
  ]);
}

/**
 * Reading the SSM parameters the stacks look up through `data "aws_ssm_parameter"` (with decryption),
 * granted to the plan role explicitly: `terraform plan` refreshes those data sources, and a plan role
 * that relies on ReadOnlyAccess alone breaks as soon as SecureString reads are denied to it.
 */
export function readParametersPolicy(parameterArns: readonly string[], regions: readonly string[]): string {
  return doc([
    {
      Sid: "ReadStackParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: [...parameterArns],
    },
    {
      Sid: "DecryptStackParametersThroughSsm",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": regions.map((r) => `ssm.${r}.amazonaws.com`) } },
    },
  ]);
}

/** ECR actions that push an image and read it back (its manifest, layers and scan findings). */
export const REGISTRY_ACTIONS: readonly string[] = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
  "ecr:CompleteLayerUpload",
  "ecr:PutImage",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:DescribeImages",
  "ecr:DescribeImageScanFindings",
];

/**
 * The registry role: log in to ECR (GetAuthorizationToken has no resource, AWS requires "*") and push,
 * pull and inspect images in the environment's repositories only (`<prefix>*`, in its regions). No
 * repository changes (create, delete, policy, lifecycle) and no image deletion: Terraform owns those.
 */
export function registryPolicy(input: {
  readonly partition: string;
  readonly account: string;
  readonly regions: readonly string[];
  readonly repositoryPrefix: string;
}): string {
  return doc([
    { Sid: "LogInToTheRegistry", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PushAndReadImagesOfThisEnvironment",
      Effect: "Allow",
      Action: [...REGISTRY_ACTIONS],
      Resource: input.regions.map(
        (region) =>
          `arn:${input.partition}:ecr:${region}:${input.account}:repository/${input.repositoryPrefix}*`,
      ),
    },
  ]);
}
