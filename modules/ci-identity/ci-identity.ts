import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { Namer } from "../naming/namer.ts";
import {
  applyPolicy,
  planStatePolicy,
  readParametersPolicy,
  registryPolicy,
  trustPolicy,
} from "./policies.ts";
import { WorkloadBoundary } from "./workload-boundary.ts";

/** The GitHub Actions OIDC issuer (host and path, without `https://`). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The reusable workflow that runs `terraform plan` (its copy on the default branch is trusted). */
export const PLAN_WORKFLOW_PATH = ".github/workflows/plan-stack.yml";
/** The workflows that build images (push to dev) and promote them (copy into the next environment). */
export const REGISTRY_WORKFLOWS: readonly string[] = [
  ".github/workflows/build.yml",
  ".github/workflows/promote.yml",
];
/** The audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * AWS services the apply role may manage in full (`<service>:*`, in the environment's regions only):
 * what the platform's stacks create. IAM and S3 are not here: they get statements scoped to the
 * environment's name prefix and the state bucket.
 */
export const DEFAULT_APPLY_SERVICES: readonly string[] = [
  "ec2",
  "eks",
  "elasticloadbalancing",
  "autoscaling",
  "rds",
  "secretsmanager",
  "sqs",
  "sns",
  "cognito-idp",
  "ecr",
  "kms",
  "logs",
  "cloudwatch",
  "acm",
  // The in-VPC CI runner: a CodeBuild project using the account's GitHub connection.
  "codebuild",
  "codeconnections",
  "codestar-connections",
  "chatbot",
  "backup",
  "backup-storage",
  "events",
  "ses",
];

/** Services that must never be granted wholesale: they would let the role escape its scope. */
const FORBIDDEN_APPLY_SERVICES = new Set(["*", "iam", "s3", "sts", "organizations", "account"]);

export interface CiIdentityProps {
  /** The GitHub repository whose workflows may assume the roles, as "owner/name". */
  readonly repository: string;
  /** ARN of the Terraform state bucket (plan and apply read and lock state there). */
  readonly stateBucketArn: string;
  /** ARN of the KMS key that encrypts the state. */
  readonly stateKmsKeyArn: string;
  /**
   * GitHub deployment environment whose jobs may assume the apply role (trusted subject
   * `repo:<owner>/<name>:environment:<name>`). Protect it in GitHub with required reviewers.
   * @default the Sluice environment's name, e.g. "prod"
   */
  readonly protectedEnvironment?: string;
  /**
   * Protected branch whose jobs (without an environment) may also assume the apply role (subject
   * `repo:<owner>/<name>:ref:refs/heads/<branch>`). Trusting a branch as well as an environment
   * bypasses the environment's reviewers, so prefer the environment alone.
   * @default not trusted for apply
   */
  readonly protectedBranch?: string;
  /**
   * Subjects, after `repo:<owner>/<name>:`, whose jobs may assume the read-only plan role. Exact
   * values, no wildcards.
   * @default ["pull_request", "ref:refs/heads/<protectedBranch or main>"]
   */
  readonly planSubjects?: readonly string[];
  /**
   * The reusable workflow, after `<owner>/<name>/`, whose jobs alone may assume the plan role
   * (`job_workflow_ref`). A pull request can change any workflow file on its branch, but a job calling
   * `<owner>/<name>/.github/workflows/plan-stack.yml@<default branch>` runs the default branch's copy,
   * and GitHub sets this claim from that call, so only reviewed plan steps get the role.
   * @default ".github/workflows/plan-stack.yml@refs/heads/<protectedBranch or main>"
   */
  readonly planWorkflowRef?: string;
  /**
   * ARN of an existing GitHub OIDC provider. An AWS account holds one provider per issuer, so when
   * several environments share an account, the first creates it and the others pass its ARN.
   * @default a new provider for token.actions.githubusercontent.com
   */
  readonly oidcProviderArn?: string;
  /**
   * AWS services (IAM action prefixes) the apply role manages in full, within `regions`.
   * `iam`, `s3`, `sts`, `organizations`, `account` and `*` are refused.
   * @default DEFAULT_APPLY_SERVICES
   */
  readonly applyServices?: readonly string[];
  /**
   * Regions the apply role may act in (IAM is global and scoped by name instead).
   * @default the AWS provider's region
   */
  readonly regions?: readonly string[];
  /**
   * Regions AWS Backup copies recovery points to. Apply may manage `backup`, `backup-storage` and `kms`
   * there, and roles inside the workload boundary (the backup role) may use those and `rds` there.
   * @default none
   */
  readonly backupCopyRegions?: readonly string[];
  /**
   * Names of roles (of the environment) that roles inside the workload boundary may pass to EC2, such
   * as the node role Karpenter launches instances with.
   * @default none
   */
  readonly passableRoleNames?: readonly string[];
  /**
   * Route 53 hosted zones the stacks write records in (certificate validation, the sign-in alias, DKIM):
   * apply may change records there, and in no other zone.
   * @default none
   */
  readonly hostedZoneIds?: readonly string[];
  /**
   * Also let apply manage ACM certificates in us-east-1, for a Cognito custom domain (served through
   * CloudFront, which takes its certificate from there), and update the CloudFront distribution
   * Cognito creates for it.
   * @default false
   */
  readonly cloudFrontCertificates?: boolean;
  /**
   * SSM parameters (names such as "/sluice/prod/chat-webhook") the stacks read through data sources;
   * the plan and apply roles may read these (and decrypt them through SSM), in `regions`.
   * @default none
   */
  readonly readableParameterNames?: readonly string[];
  /**
   * Workflow files (e.g. ".github/workflows/build.yml") whose jobs on the protected branch may assume the
   * registry role `<env>-ci-registry`, which pushes and reads images in the environment's ECR
   * repositories (`<env>-*`) and nothing else. Trusted by exact subject (`ref:refs/heads/<branch>`) and
   * `job_workflow_ref` (`<owner>/<name>/<file>@refs/heads/<branch>`), so a workflow edited on another
   * branch, or another workflow on the branch, cannot assume it.
   * @default none: no registry role
   */
  readonly registryWorkflows?: readonly string[];
  /**
   * The branch whose `registryWorkflows` jobs may assume the registry role. Unlike `protectedBranch`,
   * this grants nothing on the apply role.
   * @default protectedBranch, else "main"
   */
  readonly registryBranch?: string;
  /**
   * Longest session, in seconds, either role may hold (3600–43200).
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /**
   * Services (IAM action prefixes) the workload permissions boundary allows the roles apply creates.
   * `iam`, `organizations`, `account` and `*` are refused.
   * @default DEFAULT_WORKLOAD_SERVICES
   */
  readonly boundaryServices?: readonly string[];
}

/**
 * GitHub Actions' way into AWS for one environment, with no long-lived keys:
 * an OIDC provider, a read-only plan role (pull requests) and an apply role (the protected
 * environment only), both trusted for this repository alone with an exact `sub` and `aud`.
 *
 * The apply role is scoped, never administrator: the platform's services in the environment's
 * regions; IAM only on roles, policies and instance profiles named with the environment's prefix;
 * S3 only on the state objects. It cannot attach administrator policies nor change the CI roles, and
 * every role it creates or grants permissions to must carry the workload permissions boundary, which
 * it cannot change. So this construct belongs in the bootstrap stack, applied by a human administrator.
 */
export class CiIdentity extends Construct {
  readonly oidcProviderArn: string;
  readonly planRoleArn: string;
  /** Literal role name, e.g. `dev-ci-plan`, for workflows that build the ARN. */
  readonly planRoleName: string;
  readonly applyRoleArn: string;
  /** Literal role name, e.g. `dev-ci-apply`. */
  readonly applyRoleName: string;
  /**
   * Literal name of the permissions boundary every role apply creates must carry, e.g.
   * `dev-role-boundary`; its ARN is `arn:aws:iam::<account>:policy/<name>`.
   */
  readonly boundaryPolicyName: string;
  readonly boundaryPolicyArn: string;
  /** Literal name of the registry role (e.g. `dev-ci-registry`), when `registryWorkflows` is given. */
  readonly registryRoleName: string | undefined;
  readonly registryRoleArn: string | undefined;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    const namer = Namer.of(this);
    const environment = namer.props.environment;
    validateProps(props);

    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const regions = props.regions ? [...props.regions] : [new DataAwsRegion(this, "region").region];

    let oidcProviderArn = props.oidcProviderArn;
    if (oidcProviderArn === undefined) {
      // No thumbprint: AWS trusts GitHub's issuer through its own CA library, and the field is optional.
      oidcProviderArn = new IamOpenidConnectProvider(this, "github", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
      }).arn;
    }
    this.oidcProviderArn = oidcProviderArn;

    const repo = `repo:${props.repository}`;
    const branch = props.protectedBranch ?? "main";
    const planSubjects = (props.planSubjects ?? ["pull_request", `ref:refs/heads/${branch}`]).map(
      (s) => `${repo}:${s}`,
    );
    const applySubjects = [`${repo}:environment:${props.protectedEnvironment ?? environment}`];
    if (props.protectedBranch !== undefined)
      applySubjects.push(`${repo}:ref:refs/heads/${props.protectedBranch}`);

    this.planRoleName = namer.name("iam-role", "ci", "plan");
    this.applyRoleName = namer.name("iam-role", "ci", "apply");
    const iamArn = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
    const maxSessionDuration = props.maxSessionDurationSeconds ?? 3600;
    const backupCopyRegions = [...(props.backupCopyRegions ?? [])];
    const boundary = new WorkloadBoundary(this, "boundary", {
      partition,
      account,
      regions,
      backupCopyRegions,
      passableRoleArns: (props.passableRoleNames ?? []).map((name) => iamArn(`role/${name}`)),
      stateBucketArn: props.stateBucketArn,
      stateKmsKeyArn: props.stateKmsKeyArn,
      ...(props.boundaryServices ? { services: props.boundaryServices } : {}),
    });
    this.boundaryPolicyName = boundary.policyName;
    // Built from the name rather than the resource's ARN so that it is the exact string roles carry.
    this.boundaryPolicyArn = iamArn(`policy/${boundary.policyName}`);

    const parameterArns = (props.readableParameterNames ?? []).flatMap((name) =>
      regions.map(
        (region) => `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`,
      ),
    );
    const planWorkflowRef = props.planWorkflowRef ?? `${PLAN_WORKFLOW_PATH}@refs/heads/${branch}`;
    const planRole = new IamRole(this, "plan-role", {
      name: this.planRoleName,
      description: `Read-only Terraform plan for ${environment}, assumed by GitHub Actions of ${props.repository}`,
      assumeRolePolicy: trustPolicy(oidcProviderArn, planSubjects, [
        `${props.repository}/${planWorkflowRef}`,
      ]),
      maxSessionDuration,
    });
    new IamRolePolicyAttachment(this, "plan-read-only", {
      role: planRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    new IamRolePolicy(this, "plan-state", {
      name: namer.name("iam-policy", "ci", "plan", "state"),
      role: planRole.id,
      policy: planStatePolicy({
        stateBucketArn: props.stateBucketArn,
        stateKmsKeyArn: props.stateKmsKeyArn,
        readableParameterArns: [`arn:${partition}:ssm:*::parameter/aws/service/*`, ...parameterArns],
      }),
    });

    if (parameterArns.length > 0) {
      new IamRolePolicy(this, "plan-parameters", {
        name: namer.name("iam-policy", "ci", "plan", "parameters"),
        role: planRole.id,
        policy: readParametersPolicy(parameterArns, regions),
      });
    }

    const applyRole = new IamRole(this, "apply-role", {
      name: this.applyRoleName,
      description: `Terraform apply for ${environment}, assumed by GitHub Actions of ${props.repository}`,
      assumeRolePolicy: trustPolicy(oidcProviderArn, applySubjects),
      maxSessionDuration,
    });
    new IamRolePolicy(this, "apply-policy", {
      name: namer.name("iam-policy", "ci", "apply", "policy"),
      role: applyRole.id,
      policy: applyPolicy({
        services: props.applyServices ?? DEFAULT_APPLY_SERVICES,
        regions,
        backupCopyRegions,
        hostedZoneIds: [...(props.hostedZoneIds ?? [])],
        cloudFrontCertificates: props.cloudFrontCertificates ?? false,
        partition,
        account,
        environmentPrefix: `${environment}-`,
        ciRoleArns: [iamArn(`role/${this.planRoleName}`), iamArn(`role/${this.applyRoleName}`)],
        stateBucketArn: props.stateBucketArn,
        stateKmsKeyArn: props.stateKmsKeyArn,
        boundaryPolicyArn: this.boundaryPolicyArn,
        parameterArns,
      }),
    });

    this.planRoleArn = planRole.arn;
    this.applyRoleArn = applyRole.arn;

    const registryWorkflows = props.registryWorkflows ?? [];
    if (registryWorkflows.length === 0) {
      this.registryRoleName = undefined;
      this.registryRoleArn = undefined;
      return;
    }
    this.registryRoleName = namer.name("iam-role", "ci", "registry");
    const registryBranch = props.registryBranch ?? branch;
    const registryRole = new IamRole(this, "registry-role", {
      name: this.registryRoleName,
      description: `Push and read container images of ${environment}, assumed by ${registryWorkflows.join(", ")} of ${props.repository} on ${registryBranch}`,
      assumeRolePolicy: trustPolicy(
        oidcProviderArn,
        [`${repo}:ref:refs/heads/${registryBranch}`],
        registryWorkflows.map((file) => `${props.repository}/${file}@refs/heads/${registryBranch}`),
      ),
      maxSessionDuration,
    });
    new IamRolePolicy(this, "registry-policy", {
      name: namer.name("iam-policy", "ci", "registry", "policy"),
      role: registryRole.id,
      policy: registryPolicy({ partition, account, regions, repositoryPrefix: `${environment}-` }),
    });
    this.registryRoleArn = registryRole.arn;
  }
}

const concrete = (value: unknown) => !Token.isUnresolved(value);

function validateProps(props: CiIdentityProps): void {
  const fail = (prop: string, value: unknown, expected: string): never => {
    throw new Error(`CiIdentity: ${prop} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  if (typeof props.repository !== "string" || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) {
    fail("repository", props.repository, 'one GitHub repository as "owner/name", with no wildcard');
  }
  for (const prop of ["stateBucketArn", "stateKmsKeyArn"] as const) {
    const value = props[prop];
    if (typeof value !== "string" || value === "") fail(prop, value, "an ARN");
  }
  if (concrete(props.stateBucketArn) && !/^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$/.test(props.stateBucketArn)) {
    fail("stateBucketArn", props.stateBucketArn, "an S3 bucket ARN (arn:aws:s3:::<bucket>)");
  }
  if (
    concrete(props.stateKmsKeyArn) &&
    !/^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\/.+$/.test(props.stateKmsKeyArn)
  ) {
    fail("stateKmsKeyArn", props.stateKmsKeyArn, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)");
  }
  const env = props.protectedEnvironment;
  if (env !== undefined && (typeof env !== "string" || !/^[A-Za-z0-9._-]{1,255}$/.test(env))) {
    fail(
      "protectedEnvironment",
      env,
      "a GitHub environment name (letters, digits, '.', '_', '-'), no wildcard",
    );
  }
  const branch = props.protectedBranch;
  if (
    branch !== undefined &&
    (typeof branch !== "string" || !/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith("refs/"))
  ) {
    fail("protectedBranch", branch, 'a branch name such as "main" (no "refs/heads/", no wildcard)');
  }
  props.planSubjects?.forEach((subject, i) => {
    if (
      typeof subject !== "string" ||
      subject === "" ||
      /[*?]/.test(subject) ||
      subject.startsWith("repo:")
    ) {
      fail(
        `planSubjects[${i}]`,
        subject,
        'an exact subject after "repo:<owner>/<name>:", e.g. "pull_request", with no wildcard',
      );
    }
  });
  if (props.planSubjects?.length === 0) fail("planSubjects", props.planSubjects, "at least one subject");
  const workflowRef = props.planWorkflowRef;
  if (
    workflowRef !== undefined &&
    (typeof workflowRef !== "string" ||
      !/^\.github\/workflows\/[\w.-]+\.ya?ml@refs\/(heads|tags)\/[\w./-]+$/.test(workflowRef))
  ) {
    fail(
      "planWorkflowRef",
      workflowRef,
      'a reusable workflow pinned to a branch or tag, e.g. ".github/workflows/plan-stack.yml@refs/heads/main", with no wildcard',
    );
  }
  props.applyServices?.forEach((service, i) => {
    if (
      typeof service !== "string" ||
      !/^[a-z0-9-]+$/.test(service) ||
      FORBIDDEN_APPLY_SERVICES.has(service)
    ) {
      fail(
        `applyServices[${i}]`,
        service,
        `an IAM service prefix such as "ec2", not one of ${[...FORBIDDEN_APPLY_SERVICES].join(", ")}`,
      );
    }
  });
  if (props.regions?.length === 0) fail("regions", props.regions, "at least one region");
  props.regions?.forEach((region, i) => {
    if (concrete(region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      fail(`regions[${i}]`, region, 'an AWS region such as "eu-west-1"');
    }
  });
  const arn = props.oidcProviderArn;
  if (
    arn !== undefined &&
    concrete(arn) &&
    !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(arn)
  ) {
    fail("oidcProviderArn", arn, "the ARN of the token.actions.githubusercontent.com OIDC provider");
  }
  props.backupCopyRegions?.forEach((region, i) => {
    if (concrete(region) && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      fail(`backupCopyRegions[${i}]`, region, 'an AWS region such as "eu-central-1"');
    }
  });
  props.readableParameterNames?.forEach((name, i) => {
    if (typeof name !== "string" || !/^\/?[A-Za-z0-9_.\-/]+$/.test(name) || name.includes("*")) {
      fail(`readableParameterNames[${i}]`, name, 'an SSM parameter name such as "/sluice/prod/chat-webhook"');
    }
  });
  const registryBranch = props.registryBranch;
  if (
    registryBranch !== undefined &&
    (typeof registryBranch !== "string" ||
      !/^[A-Za-z0-9._/-]+$/.test(registryBranch) ||
      registryBranch.startsWith("refs/"))
  ) {
    fail("registryBranch", registryBranch, 'a branch name such as "main" (no "refs/heads/", no wildcard)');
  }
  props.registryWorkflows?.forEach((file, i) => {
    if (typeof file !== "string" || !/^\.github\/workflows\/[\w.-]+\.ya?ml$/.test(file)) {
      fail(
        `registryWorkflows[${i}]`,
        file,
        'a workflow file such as ".github/workflows/build.yml", with no ref or wildcard',
      );
    }
  });
  const duration = props.maxSessionDurationSeconds;
  if (
    duration !== undefined &&
    concrete(duration) &&
    (!Number.isInteger(duration) || duration < 3600 || duration > 43200)
  ) {
    fail("maxSessionDurationSeconds", duration, "an integer from 3600 to 43200");
  }
}
