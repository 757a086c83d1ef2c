import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { Namer } from "../naming/namer.ts";
import { EncryptedLogGroup, LOG_RETENTION_DAYS } from "./logs-key.ts";
import { isPrivateRange, MAX_AZS, planSubnets } from "./subnet-layout.ts";

export type NatMode = "single" | "per-az";

export interface NetworkProps {
  /**
   * The VPC's IPv4 CIDR, a private range (RFC 1918) of prefix /16–/22. Subnets are carved from it
   * deterministically (see subnet-layout.ts).
   */
  readonly cidr: string;
  /**
   * AZ names to spread subnets over (2–3, distinct). When omitted, the first `azCount` available AZs
   * of the region are used.
   * @default undefined (use azCount)
   */
  readonly availabilityZones?: readonly string[];
  /**
   * How many AZs to use when `availabilityZones` is not given (2–3).
   * @default 2
   */
  readonly azCount?: number;
  /**
   * One NAT gateway for the whole VPC (cheaper, an AZ outage cuts egress) or one per AZ.
   * @default "per-az"
   */
  readonly natMode?: NatMode;
  /**
   * Days to keep VPC flow logs; a value CloudWatch Logs accepts.
   * @default 90
   */
  readonly flowLogRetentionDays?: number;
  /**
   * EKS cluster name for the `kubernetes.io/cluster/<name>` subnet tag. The load-balancer role tags
   * (`kubernetes.io/role/elb`, `kubernetes.io/role/internal-elb`) are always set.
   * @default no cluster tag
   */
  readonly clusterName?: string;
  /**
   * Escape hatch: let instances launched in public subnets get a public IP automatically. Off, so
   * nothing becomes reachable from the internet by accident; load balancers and NAT gateways get
   * their addresses regardless.
   * @default false
   */
  readonly allowPublicIpOnLaunch?: boolean;
  /**
   * Escape hatch: skip VPC flow logs (and their KMS key, log group and role).
   * @default false
   */
  readonly disableFlowLogs?: boolean;
}

const AZ_SUFFIXES = ["a", "b", "c"] as const;

/**
 * A VPC over 2–3 AZs with public, private-application and private-data subnets.
 *
 * - public subnets route to an internet gateway and hold the NAT gateway(s) and internet-facing load
 *   balancers; no public IPs are auto-assigned;
 * - app subnets (EKS nodes and pods) route to a NAT gateway, one per AZ or a single one;
 * - data subnets (databases) have no route to the internet at all;
 * - app and data route tables reach S3 through a free gateway endpoint;
 * - the default security group is adopted and stripped of all rules;
 * - flow logs go to a CloudWatch log group encrypted with a rotating KMS key.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZones: string[];
  readonly publicSubnetIds: string[];
  readonly appSubnetIds: string[];
  readonly dataSubnetIds: string[];
  /** Concrete CIDRs of each tier, in AZ order. */
  readonly publicSubnetCidrs: readonly string[];
  readonly appSubnetCidrs: readonly string[];
  readonly dataSubnetCidrs: readonly string[];
  readonly natGatewayIds: string[];
  readonly appRouteTableIds: string[];
  readonly dataRouteTableId: string;
  /** ARN of the KMS key encrypting the flow-log group; undefined when flow logs are disabled. */
  readonly flowLogKmsKeyArn: string | undefined;
  readonly flowLogGroupName: string | undefined;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const azCount = validateProps(props);
    const natMode = props.natMode ?? "per-az";
    const namer = Namer.of(this);
    const plan = planSubnets(props.cidr, azCount);

    const azNames = props.availabilityZones
      ? [...props.availabilityZones]
      : (() => {
          const zones = new DataAwsAvailabilityZones(this, "zones", { state: "available" });
          return [...Array(azCount).keys()].map((i) => Token.asString(Fn.element(zones.names, i)));
        })();

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: namer.name("generic", "vpc") },
    });
    new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, ingress: [], egress: [] });

    const clusterTag: Record<string, string> = props.clusterName
      ? { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" }
      : {};
    const subnets = (
      tier: "public" | "app" | "data",
      cidrs: readonly string[],
      tags: Record<string, string>,
    ) =>
      cidrs.map(
        (cidr, i) =>
          new Subnet(this, `${tier}-subnet-${AZ_SUFFIXES[i]}`, {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: azNames[i],
            mapPublicIpOnLaunch: tier === "public" && props.allowPublicIpOnLaunch === true,
            tags,
          }),
      );
    const publicSubnets = subnets("public", plan.public, { ...clusterTag, "kubernetes.io/role/elb": "1" });
    const appSubnets = subnets("app", plan.app, { ...clusterTag, "kubernetes.io/role/internal-elb": "1" });
    const dataSubnets = subnets("data", plan.data, {});

    const igw = new InternetGateway(this, "igw", { vpcId: vpc.id });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: vpc.id });
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    publicSubnets.forEach((s, i) => {
      new RouteTableAssociation(this, `public-routes-${AZ_SUFFIXES[i]}`, {
        subnetId: s.id,
        routeTableId: publicRoutes.id,
      });
    });

    const natCount = natMode === "single" ? 1 : azCount;
    const nats = [...Array(natCount).keys()].map((i) => {
      const eip = new Eip(this, `nat-eip-${AZ_SUFFIXES[i]}`, { domain: "vpc", dependsOn: [igw] });
      return new NatGateway(this, `nat-${AZ_SUFFIXES[i]}`, {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[i]?.id ?? "",
        dependsOn: [igw],
      });
    });

    const appRouteTables = appSubnets.map((s, i) => {
      const table = new RouteTable(this, `app-routes-${AZ_SUFFIXES[i]}`, { vpcId: vpc.id });
      const nat = nats[natMode === "single" ? 0 : i];
      new Route(this, `app-default-route-${AZ_SUFFIXES[i]}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nat?.id ?? "",
      });
      new RouteTableAssociation(this, `app-routes-assoc-${AZ_SUFFIXES[i]}`, {
        subnetId: s.id,
        routeTableId: table.id,
      });
      return table;
    });

    const dataRoutes = new RouteTable(this, "data-routes", { vpcId: vpc.id });
    dataSubnets.forEach((s, i) => {
      new RouteTableAssociation(this, `data-routes-${AZ_SUFFIXES[i]}`, {
        subnetId: s.id,
        routeTableId: dataRoutes.id,
      });
    });

    const region = new DataAwsRegion(this, "region").region;
    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...appRouteTables.map((t) => t.id), dataRoutes.id],
    });

    if (props.disableFlowLogs === true) {
      this.flowLogKmsKeyArn = undefined;
      this.flowLogGroupName = undefined;
    } else {
      const logs = new EncryptedLogGroup(this, "flow-logs", {
        logGroupName: namer.name("log-group", "vpc", "flow", "logs"),
        aliasName: namer.name("kms-alias", "vpc", "flow", "logs"),
        retentionDays: props.flowLogRetentionDays ?? 90,
        description: "Encrypts the VPC flow-log group",
      });
      const account = new DataAwsCallerIdentity(this, "account").accountId;
      const role = new IamRole(this, "flow-log-role", {
        name: namer.name("iam-role", "vpc", "flow", "log", "role"),
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "vpc-flow-logs.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
          ],
        }),
      });
      new IamRolePolicy(this, "flow-log-policy", {
        name: namer.name("iam-policy", "vpc", "flow", "log", "policy"),
        role: role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              Resource: [logs.logGroupArn, `${logs.logGroupArn}:*`],
            },
          ],
        }),
      });
      new FlowLog(this, "flow-log", {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logs.logGroupArn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
      });
      this.flowLogKmsKeyArn = logs.keyArn;
      this.flowLogGroupName = logs.logGroupName;
    }

    this.vpcId = vpc.id;
    this.vpcCidr = props.cidr;
    this.availabilityZones = azNames;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.appSubnetIds = appSubnets.map((s) => s.id);
    this.dataSubnetIds = dataSubnets.map((s) => s.id);
    this.publicSubnetCidrs = plan.public;
    this.appSubnetCidrs = plan.app;
    this.dataSubnetCidrs = plan.data;
    this.natGatewayIds = nats.map((n) => n.id);
    this.appRouteTableIds = appRouteTables.map((t) => t.id);
    this.dataRouteTableId = dataRoutes.id;
  }
}

/** Checks props; returns the AZ count. */
function validateProps(props: NetworkProps): number {
  const fail = (message: string): never => {
    throw new Error(`Network: ${message}`);
  };
  if (!Token.isUnresolved(props.cidr)) {
    try {
      planSubnets(props.cidr, 1);
    } catch (error) {
      fail(`cidr ${(error as Error).message}`);
    }
    if (!isPrivateRange(props.cidr)) {
      fail(
        `cidr must be inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), got '${props.cidr}'`,
      );
    }
  } else {
    fail("cidr must be a concrete CIDR (subnets are computed from it), got an unresolved token");
  }
  let azCount: number;
  if (props.availabilityZones !== undefined) {
    if (props.azCount !== undefined) fail("give availabilityZones or azCount, not both");
    const zones = props.availabilityZones;
    if (zones.length < 2 || zones.length > MAX_AZS) {
      fail(`availabilityZones must list 2–${MAX_AZS} AZs, got ${JSON.stringify(zones)}`);
    }
    const concrete = zones.filter((z) => !Token.isUnresolved(z));
    if (new Set(concrete).size !== concrete.length) {
      fail(`availabilityZones must be distinct, got ${JSON.stringify(zones)}`);
    }
    for (const z of concrete) {
      if (!/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(z)) {
        fail(`availabilityZones entries must be AZ names such as 'eu-west-1a', got '${z}'`);
      }
    }
    azCount = zones.length;
  } else {
    azCount = props.azCount ?? 2;
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > MAX_AZS) {
      fail(`azCount must be an integer from 2 to ${MAX_AZS}, got ${azCount}`);
    }
  }
  if (props.natMode !== undefined && props.natMode !== "single" && props.natMode !== "per-az") {
    fail(`natMode must be "single" or "per-az", got '${String(props.natMode)}'`);
  }
  const retention = props.flowLogRetentionDays;
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    fail(`flowLogRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${retention}`);
  }
  if (props.clusterName !== undefined && !Token.isUnresolved(props.clusterName)) {
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(props.clusterName)) {
      fail(`clusterName must be a valid EKS cluster name, got '${props.clusterName}'`);
    }
  }
  return azCount;
}
