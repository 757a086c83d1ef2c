import { describe, expect, it } from "vitest";
import { secureDefaultRules } from "../../core/rules/index.ts";
import { runRules } from "../../core/rules/run.ts";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { DEFAULT_KARPENTER_CHART_VERSION, Karpenter, type KarpenterProps } from "./karpenter.ts";

const base: KarpenterProps = {
  clusterName: "dev-eks-cluster",
  clusterEndpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
  nodeSecurityGroupIds: ["sg-cluster"],
  subnetIds: ["subnet-a", "subnet-b"],
  nodeRoleName: "dev-eks-node-role",
  alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:dev-alarms",
  maxCpu: 8,
  maxMemoryGiB: 32,
  capacityTypes: ["spot"],
  tags: { "cost-centre": "CC-1" },
  namespace: "dev-karpenter",
  manifestsNamespace: "dev-argocd",
};

function build(props: Partial<KarpenterProps> = {}) {
  const stack = testStack("dev", "dev-gitops");
  const karpenter = new Karpenter(stack, "karpenter", { ...base, ...props });
  const json = synthStack(stack);
  const releases = Object.values(resources(json, "helm_release"));
  const values = (name: string) =>
    JSON.parse(String((releases.find((r) => r.name === name)?.values as string[] | undefined)?.[0]));
  return { karpenter, json, values, releases };
}

describe("Karpenter", () => {
  it("installs the pinned OCI chart with its role through Pod Identity, not an OIDC provider", () => {
    const { json, values, releases } = build();
    expect(releases.find((r) => r.name === "dev-karpenter")).toMatchObject({
      repository: "oci://public.ecr.aws/karpenter",
      chart: "karpenter",
      version: DEFAULT_KARPENTER_CHART_VERSION,
      namespace: "dev-karpenter",
    });
    expect(values("dev-karpenter").settings).toEqual({
      clusterName: "dev-eks-cluster",
      clusterEndpoint: base.clusterEndpoint,
      interruptionQueue: expect.stringMatching(/^\$\{aws_sqs_queue\.[\w-]+\.name\}$/),
    });
    expect(only(json, "aws_eks_pod_identity_association")).toMatchObject({
      cluster_name: "dev-eks-cluster",
      namespace: "dev-karpenter",
      service_account: "karpenter",
    });
    const role = only(json, "aws_iam_role");
    expect(role.name).toBe("dev-karpenter-role");
    expect(String(role.assume_role_policy)).toContain("pods.eks.amazonaws.com");
    expect(resources(json, "aws_iam_openid_connect_provider")).toEqual({});
  });

  it("feeds an interruption queue (with a dead-letter queue) from four EventBridge rules, and only from them", () => {
    const { json } = build();
    const rules = Object.values(resources(json, "aws_cloudwatch_event_rule"));
    expect(rules.map((r) => JSON.parse(String(r.event_pattern))["detail-type"][0]).sort()).toEqual([
      "AWS Health Event",
      "EC2 Instance Rebalance Recommendation",
      "EC2 Instance State-change Notification",
      "EC2 Spot Instance Interruption Warning",
    ]);
    const queues = Object.entries(resources(json, "aws_sqs_queue"));
    const main = queues.find(([, q]) => q.name === "dev-karpenter-interruption");
    expect(main?.[1].message_retention_seconds).toBe(300);
    for (const target of Object.values(resources(json, "aws_cloudwatch_event_target")))
      expect(target.arn).toBe(`\${aws_sqs_queue.${main?.[0]}.arn}`);
    const policies = Object.values(resources(json, "aws_sqs_queue_policy")).map(
      (p) => JSON.parse(String(p.policy)).Statement as Record<string, unknown>[],
    );
    const fromEvents = policies.flat().find((s) => s.Sid === "AllowServiceProducers");
    expect(fromEvents).toMatchObject({
      Principal: { Service: ["events.amazonaws.com"] },
      Action: "sqs:SendMessage",
      Condition: {
        ArnEquals: {
          "aws:SourceArn": expect.arrayContaining([
            expect.stringMatching(/:rule\/dev-karpenter-spot-interruption$/),
          ]),
        },
      },
    });
  });

  it("may pass only the node role, to EC2 only, and creates or deletes only cluster-tagged instances", () => {
    const { json } = build();
    const statements = JSON.parse(String(only(json, "aws_iam_role_policy").policy)).Statement as Record<
      string,
      unknown
    >[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.PassOnlyTheNodeRoleToEc2).toMatchObject({
      Action: "iam:PassRole",
      Resource: expect.stringMatching(/:role\/dev-eks-node-role$/),
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    });
    expect(bySid.TagAndDeleteOwnedResources).toMatchObject({
      Condition: { StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/dev-eks-cluster": "owned" } },
    });
    expect(statements.some((s) => String(s.Action).startsWith("iam:Create"))).toBe(false);
    expect(only(json, "aws_iam_instance_profile")).toMatchObject({
      name: "dev-karpenter-node-profile",
      role: "dev-eks-node-role",
    });
  });

  it("caps what it launches with the NodePool limits given, on hardened nodes carrying the cost tags", () => {
    const { values, releases } = build({ maxCpu: 64, maxMemoryGiB: 256, capacityTypes: ["on-demand"] });
    const release = releases.find((r) => r.name === "dev-karpenter-nodes");
    expect(release?.namespace).toBe("dev-argocd");
    expect(release?.depends_on).toEqual([expect.stringMatching(/^helm_release\.karpenter_release_/)]);
    const [nodeClass, nodePool] = values("dev-karpenter-nodes").manifests;
    expect(nodePool.kind).toBe("NodePool");
    expect(nodePool.spec.limits).toEqual({ cpu: "64", memory: "256Gi" });
    expect(nodePool.spec.template.spec.requirements).toContainEqual({
      key: "karpenter.sh/capacity-type",
      operator: "In",
      values: ["on-demand"],
    });
    expect(nodeClass).toMatchObject({
      kind: "EC2NodeClass",
      spec: {
        instanceProfile: expect.stringMatching(/aws_iam_instance_profile\./),
        subnetSelectorTerms: [{ id: "subnet-a" }, { id: "subnet-b" }],
        securityGroupSelectorTerms: [{ id: "sg-cluster" }],
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ ebs: { encrypted: true, volumeType: "gp3" } }],
        kubelet: { maxPods: 110 },
        tags: { "cost-centre": "CC-1" },
      },
    });
  });

  it("passes the secure-default rules (the boundary and the S3 backend are the app's, see infra/)", () => {
    const appLevel = new Set(["iam-role-has-boundary", "backend-encrypted-locking"]);
    expect(runRules([build().json], secureDefaultRules).filter((v) => !appLevel.has(v.rule))).toEqual([]);
  });

  it("refuses limits, capacity or a chart version it cannot use, naming the prop", () => {
    expect(() => build({ maxCpu: 0 })).toThrow(
      "Karpenter: maxCpu must be a whole number of vCPUs >= 1, got 0",
    );
    expect(() => build({ capacityTypes: [] })).toThrow(/capacityTypes must be at least one of/);
    expect(() => build({ chartVersion: "^1.8" })).toThrow(/chartVersion must be an exact chart version/);
  });
});
