import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Token } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { Namer } from "../naming/namer.ts";
import { EncryptedLogGroup, LOG_RETENTION_DAYS } from "../network/logs-key.ts";

/** The CodeBuild webhook event that starts a runner for a queued GitHub Actions job. */
export const WORKFLOW_JOB_QUEUED = "WORKFLOW_JOB_QUEUED";

const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

const RUNNER_TOKENS = ["ci", "runner"] as const;

/** Name of the environment's runner project, e.g. `prod-ci-runner`, for workflows' `runs-on` labels. */
export function runnerProjectNameFor(scope: IConstruct): string {
  return Namer.of(scope).name("generic", ...RUNNER_TOKENS);
}

/** The same name outside a construct tree, e.g. for the CI job matrix. */
export function runnerProjectName(environment: string): string {
  return new Namer({ environment }).name("generic", ...RUNNER_TOKENS);
}

/** The `runs-on` label of a job for the runner project `projectName` (CodeBuild's label format). */
export function runnerLabel(projectName: string): string {
  return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

export interface CiRunnerProps {
  /** The GitHub repository whose workflow jobs the runner takes, as "owner/name". */
  readonly repository: string;
  /**
   * ARN of an AWS CodeConnections connection to GitHub (created once per account in the console,
   * where GitHub's authorization happens), used to read the repository and register the webhook.
   */
  readonly connectionArn: string;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets with a route to the cluster endpoint and a NAT gateway (the app subnets). */
  readonly subnetIds: readonly string[];
  /** The EKS cluster security group; it gets a rule admitting the runner on 443. */
  readonly clusterSecurityGroupId: string;
  /**
   * CodeBuild compute type of a runner.
   * @default "BUILD_GENERAL1_SMALL"
   */
  readonly computeType?: string;
  /**
   * CodeBuild image of a runner; it must carry the AWS CLI (the Kubernetes and Helm providers call
   * `aws eks get-token`).
   * @default "aws/codebuild/amazonlinux-x86_64-standard:5.0"
   */
  readonly image?: string;
  /**
   * Longest a job may run, in minutes (5–2160).
   * @default 60
   */
  readonly buildTimeoutMinutes?: number;
  /**
   * Most runners at once.
   * @default 3
   */
  readonly concurrentBuildLimit?: number;
  /**
   * Days to keep runner logs; a value CloudWatch Logs accepts.
   * @default 90
   */
  readonly logRetentionDays?: number;
}

/**
 * A CodeBuild-hosted GitHub Actions runner inside the VPC, for the jobs that must reach a private EKS
 * endpoint (the gitops stacks' plan and apply). A GitHub `workflow_job` webhook starts one build per
 * queued job whose `runs-on` is `codebuild-<project>-<run id>-<attempt>`; the build registers as an
 * ephemeral runner, runs the job and ends.
 *
 * The runner itself holds no AWS permissions beyond its own plumbing (logs, VPC network interfaces,
 * the GitHub connection): jobs still assume the plan or apply role through GitHub's OIDC token. It
 * may leave the VPC only on 443 (GitHub, AWS APIs, registries) and reaches the cluster API on 443.
 */
export class CiRunner extends Construct {
  readonly projectName: string;
  readonly projectArn: string;
  readonly securityGroupId: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: CiRunnerProps) {
    super(scope, id);
    validateProps(props);
    const namer = Namer.of(this);
    const partition = new DataAwsPartition(this, "partition").partition;
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    const region = new DataAwsRegion(this, "region").region;
    const projectName = runnerProjectNameFor(this);

    const logs = new EncryptedLogGroup(this, "logs", {
      logGroupName: namer.name("log-group", "ci", "runner", "logs"),
      aliasName: namer.name("kms-alias", "ci", "runner", "logs", "key"),
      retentionDays: props.logRetentionDays ?? 90,
      description: "Encrypts the CI runner's build logs",
    });

    const securityGroup = new SecurityGroup(this, "security-group", {
      name: namer.name("security-group", "ci", "runner", "sg"),
      description: "CI runner: HTTPS out only",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: securityGroup.id,
      description: "HTTPS to GitHub, AWS APIs, registries and the cluster endpoint",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    new VpcSecurityGroupIngressRule(this, "cluster-ingress", {
      securityGroupId: props.clusterSecurityGroupId,
      description: "Kubernetes API from the CI runner",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: securityGroup.id,
    });

    const role = new IamRole(this, "role", {
      name: namer.name("iam-role", "ci", "runner", "role"),
      description: `CodeBuild-hosted GitHub Actions runner of ${props.repository}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "codebuild.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
    });
    const policy = new IamRolePolicy(this, "policy", {
      name: namer.name("iam-policy", "ci", "runner", "policy"),
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`${logs.logGroupArn}:*`],
          },
          {
            Sid: "RunInTheVpc",
            Effect: "Allow",
            Action: [
              "ec2:CreateNetworkInterface",
              "ec2:DeleteNetworkInterface",
              "ec2:DescribeDhcpOptions",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeSecurityGroups",
              "ec2:DescribeSubnets",
              "ec2:DescribeVpcs",
            ],
            Resource: "*",
          },
          {
            Sid: "AttachInterfacesForCodeBuild",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterfacePermission",
            Resource: `arn:${partition}:ec2:${region}:${account}:network-interface/*`,
            Condition: { StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" } },
          },
          {
            Sid: "UseTheGitHubConnection",
            Effect: "Allow",
            Action: [
              "codeconnections:GetConnection",
              "codeconnections:GetConnectionToken",
              "codeconnections:UseConnection",
              "codestar-connections:GetConnection",
              "codestar-connections:GetConnectionToken",
              "codestar-connections:UseConnection",
            ],
            Resource: props.connectionArn,
          },
        ],
      }),
    });

    const project = new CodebuildProject(this, "project", {
      name: projectName,
      description: `GitHub Actions runner in the VPC for ${props.repository}`,
      serviceRole: role.arn,
      buildTimeout: props.buildTimeoutMinutes ?? 60,
      concurrentBuildLimit: props.concurrentBuildLimit ?? 3,
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: props.computeType ?? "BUILD_GENERAL1_SMALL",
        image: props.image ?? "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
      },
      source: {
        type: "GITHUB",
        location: `https://github.com/${props.repository}.git`,
        auth: { type: "CODECONNECTIONS", resource: props.connectionArn },
      },
      vpcConfig: {
        vpcId: props.vpcId,
        subnets: [...props.subnetIds],
        securityGroupIds: [securityGroup.id],
      },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: logs.logGroupName },
        s3Logs: { status: "DISABLED" },
      },
      dependsOn: [policy, logs.logGroup],
    });
    new CodebuildWebhook(this, "webhook", {
      projectName: project.name,
      buildType: "BUILD",
      filterGroup: [{ filter: [{ type: "EVENT", pattern: WORKFLOW_JOB_QUEUED }] }],
    });

    this.projectName = projectName;
    this.projectArn = project.arn;
    this.securityGroupId = securityGroup.id;
    this.roleArn = role.arn;
  }
}

function validateProps(props: CiRunnerProps): void {
  const fail = (prop: string, value: unknown, expected: string): never => {
    throw new Error(`CiRunner: ${prop} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(props.repository)) {
    fail("repository", props.repository, 'one GitHub repository as "owner/name"');
  }
  if (!Token.isUnresolved(props.connectionArn) && !CONNECTION_ARN.test(props.connectionArn)) {
    fail(
      "connectionArn",
      props.connectionArn,
      "a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)",
    );
  }
  if (props.subnetIds.length === 0) fail("subnetIds", props.subnetIds, "at least one private subnet");
  const timeout = props.buildTimeoutMinutes;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 5 || timeout > 2160)) {
    fail("buildTimeoutMinutes", timeout, "an integer from 5 to 2160");
  }
  const limit = props.concurrentBuildLimit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    fail("concurrentBuildLimit", limit, "an integer >= 1");
  }
  const retention = props.logRetentionDays;
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    fail("logRetentionDays", retention, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
}
