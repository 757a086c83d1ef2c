import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Construct } from "constructs";
import { Namer } from "../naming/namer.ts";
import { boundaryPolicy, type StateAccess } from "./policies.ts";

/**
 * Services (IAM action prefixes) roles inside the boundary may use: what the platform's service roles
 * (EKS cluster and nodes, VPC CNI, EBS CSI, CloudWatch agent, flow logs) and tenant workloads call.
 */
export const DEFAULT_WORKLOAD_SERVICES: readonly string[] = [
  "ec2",
  "ec2messages",
  "eks",
  "eks-auth",
  "elasticloadbalancing",
  "autoscaling",
  "ecr",
  "kms",
  "logs",
  "cloudwatch",
  "xray",
  "ssm",
  "ssmmessages",
  "s3",
  "sqs",
  "sns",
  "secretsmanager",
  "rds",
  "rds-db",
  "cognito-idp",
  "acm",
  "sts",
  // The in-VPC CI runner (CodeBuild) reads the repository through its GitHub connection.
  "codeconnections",
  "codestar-connections",
  "backup",
  "backup-storage",
];

/** Services a boundary must never allow in full: they are what it exists to keep out. */
const FORBIDDEN_WORKLOAD_SERVICES = new Set(["*", "iam", "organizations", "account"]);

export interface WorkloadBoundaryProps extends StateAccess {
  /** The AWS partition, e.g. "aws" (used for the service-linked-role exemption). */
  readonly partition: string;
  /** The environment's account id: bounded roles may assume only its `role/{env}-*` roles. */
  readonly account: string;
  /** Regions bounded roles may call services in (`aws:RequestedRegion`); at least one. */
  readonly regions: readonly string[];
  /**
   * Regions AWS Backup copies into: bounded roles may use backup, backup-storage, kms and rds there.
   * @default none
   */
  readonly backupCopyRegions?: readonly string[];
  /**
   * Roles bounded roles may pass to EC2, and no other service (e.g. the node role, for Karpenter).
   * @default none: iam:PassRole is denied
   */
  readonly passableRoleArns?: readonly string[];
  /**
   * Services (IAM action prefixes) roles inside the boundary may use. `iam`, `organizations`,
   * `account` and `*` are refused.
   * @default DEFAULT_WORKLOAD_SERVICES
   */
  readonly services?: readonly string[];
}

/**
 * The permissions boundary (`<env>-role-boundary`) every role of the environment's other stacks
 * carries, and the only one the apply role may create roles with. It caps those roles below IAM
 * writes, Organizations and account changes and the Terraform state, so apply cannot mint a role
 * more powerful than itself.
 */
export class WorkloadBoundary extends Construct {
  /** Literal policy name, e.g. `dev-role-boundary`, for stacks that build the ARN. */
  readonly policyName: string;
  readonly policyArn: string;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps) {
    super(scope, id);
    const services = props.services ?? DEFAULT_WORKLOAD_SERVICES;
    services.forEach((service, i) => {
      if (
        typeof service !== "string" ||
        !/^[a-z0-9-]+$/.test(service) ||
        FORBIDDEN_WORKLOAD_SERVICES.has(service)
      ) {
        throw new Error(
          `WorkloadBoundary: services[${i}] must be an IAM service prefix such as "ec2", not one of ${[
            ...FORBIDDEN_WORKLOAD_SERVICES,
          ].join(", ")}, got ${JSON.stringify(service)}`,
        );
      }
    });
    if (services.length === 0) throw new Error("WorkloadBoundary: services must name at least one service");
    if (props.regions.length === 0)
      throw new Error("WorkloadBoundary: regions must name at least one region");
    const namer = Namer.of(this);
    this.policyName = namer.name("iam-policy", "role", "boundary");
    const policy = new IamPolicy(this, "policy", {
      name: this.policyName,
      description: `Permissions boundary of every ${namer.environment} role the CI apply role creates`,
      policy: boundaryPolicy({
        partition: props.partition,
        account: props.account,
        environmentPrefix: `${namer.environment}-`,
        regions: props.regions,
        backupCopyRegions: props.backupCopyRegions ?? [],
        passableRoleArns: props.passableRoleArns ?? [],
        services,
        stateBucketArn: props.stateBucketArn,
        stateKmsKeyArn: props.stateKmsKeyArn,
      }),
    });
    this.policyArn = policy.arn;
  }
}
