import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Cluster, type ClusterProps, clusterNameFor } from "./cluster.ts";
import {
  ADDON_VERSIONS,
  CORE_ADDONS,
  DEFAULT_KUBERNETES_VERSION,
  EKS_SUPPORT_CALENDAR,
  isArmInstanceType,
  SUPPORTED_KUBERNETES_VERSIONS,
  supportProblem,
} from "./versions.ts";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const base: ClusterProps = {
  subnetIds: ["subnet-aaaa", "subnet-bbbb"],
  nodeGroups: [{ name: "app", minSize: 1, desiredSize: 2, maxSize: 4 }],
  adminRoleArns: [ADMIN],
};

function build(props: Partial<ClusterProps> = {}) {
  const stack = testStack();
  const cluster = new Cluster(stack, "cluster", { ...base, ...props });
  const json = synthJson(stack);
  const all = (type: string) => Object.values(resourcesOf(json, type));
  const one = (type: string) => {
    const found = all(type);
    expect(found).toHaveLength(1);
    return found[0] as Record<string, unknown>;
  };
  return { cluster, json, all, one };
}

const group = (spec: Partial<ClusterProps["nodeGroups"][number]>) => ({
  nodeGroups: [{ name: "app", minSize: 1, desiredSize: 1, maxSize: 2, ...spec }],
});

describe("Cluster", () => {
  it("names the cluster from the Namer and pins the default version", () => {
    const { one, cluster } = build();
    expect(one("aws_eks_cluster")).toMatchObject({ name: "dev-eks-cluster", version: "1.35" });
    expect(cluster.version).toBe("1.35");
    expect(clusterNameFor(testStack("prod"))).toBe("prod-eks-cluster");
  });

  it("sets the support type it is given, STANDARD unless told otherwise", () => {
    expect(build().one("aws_eks_cluster").upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(build({ supportType: "EXTENDED" }).one("aws_eks_cluster").upgrade_policy).toEqual({
      support_type: "EXTENDED",
    });
  });

  it("pins add-ons only for versions in the EKS support calendar, the default in standard support on 2026-12-02", () => {
    for (const version of SUPPORTED_KUBERNETES_VERSIONS) expect(EKS_SUPPORT_CALENDAR[version]).toBeDefined();
    expect(supportProblem(DEFAULT_KUBERNETES_VERSION, "STANDARD", "2026-12-02")).toBeUndefined();
    expect(supportProblem("1.33", "STANDARD", "2026-12-02")).toBe(
      "Kubernetes 1.33 left EKS standard support on 2026-07-29; move to a newer version",
    );
    expect(supportProblem("1.33", "EXTENDED", "2026-12-02")).toBeUndefined();
    expect(supportProblem("1.34", "STANDARD", "2026-12-02")).toMatch(
      /left EKS standard support on 2026-12-02/,
    );
    expect(supportProblem("1.99", "STANDARD", "2026-12-02")).toMatch(/not in the EKS support calendar/);
  });

  it("enables all five control-plane log types into a pre-created encrypted log group", () => {
    const { one, all } = build();
    expect(one("aws_eks_cluster").enabled_cluster_log_types).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    const controlPlane = all("aws_cloudwatch_log_group").find(
      (g) => g.name === "/aws/eks/dev-eks-cluster/cluster",
    );
    expect(controlPlane).toMatchObject({ retention_in_days: 90 });
    expect(String(controlPlane?.kms_key_id)).toContain("aws_kms_key.");
    expect(one("aws_eks_cluster").depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]),
    );
  });

  it("encrypts secrets with a rotating KMS key, or with the key given", () => {
    const { one, all } = build();
    for (const key of all("aws_kms_key")) expect(key.enable_key_rotation).toBe(true);
    expect(one("aws_eks_cluster").encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\..*\.arn\}$/) },
    });
    const given = "arn:aws:kms:eu-west-1:123456789012:key/abcd";
    const custom = build({ secretsKmsKeyArn: given });
    expect(custom.one("aws_eks_cluster").encryption_config).toMatchObject({ provider: { key_arn: given } });
    expect(String(custom.one("aws_iam_role_policy").policy)).toContain(given);
  });

  it("keeps the API endpoint private by default and limits a public one to listed CIDRs", () => {
    expect(build().one("aws_eks_cluster").vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
    });
    const limited = build({ publicAccessCidrs: ["203.0.113.0/24"] }).one("aws_eks_cluster");
    expect(limited.vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
  });

  it("rejects 0.0.0.0/0 unless the escape hatch is set", () => {
    expect(() => build({ publicAccessCidrs: ["0.0.0.0/0"] })).toThrow(
      "Cluster: publicAccessCidrs must not contain '0.0.0.0/0' (the whole internet)",
    );
    const open = build({ allowPublicEndpointFromAnywhere: true }).one("aws_eks_cluster");
    expect(open.vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ["0.0.0.0/0"],
    });
  });

  it("uses API authentication with explicit admin access entries and no implicit creator admin", () => {
    const { one } = build();
    expect(one("aws_eks_cluster").access_config).toEqual({
      authentication_mode: "API",
      bootstrap_cluster_creator_admin_permissions: false,
    });
    expect(one("aws_eks_access_entry")).toMatchObject({ principal_arn: ADMIN, type: "STANDARD" });
    const association = one("aws_eks_access_policy_association");
    expect(association).toMatchObject({ principal_arn: ADMIN, access_scope: { type: "cluster" } });
    expect(String(association.policy_arn)).toMatch(
      /:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/,
    );
  });

  it("runs node groups through a launch template with IMDSv2, hop limit 1 and encrypted gp3", () => {
    const { one, cluster } = build({
      ...group({ diskSizeGib: 50 }),
      nodeVolumeKmsKeyArn: "arn:aws:kms:eu-west-1:1:key/x",
    });
    const template = one("aws_launch_template");
    expect(template.metadata_options).toMatchObject({
      http_tokens: "required",
      http_put_response_hop_limit: 1,
    });
    expect(template.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: {
          volume_size: 50,
          volume_type: "gp3",
          encrypted: "true",
          delete_on_termination: "true",
          kms_key_id: "arn:aws:kms:eu-west-1:1:key/x",
        },
      },
    ]);
    expect(template.network_interfaces).toBeUndefined();
    const nodes = one("aws_eks_node_group");
    expect(nodes.node_group_name).toBeUndefined();
    expect(nodes).toMatchObject({
      node_group_name_prefix: "dev-app-nodes-",
      ami_type: "AL2023_ARM_64_STANDARD",
      capacity_type: "ON_DEMAND",
      instance_types: ["t4g.medium"],
      scaling_config: { min_size: 1, desired_size: 1, max_size: 2 },
    });
    expect(String((nodes.launch_template as Record<string, string>).id)).toContain("aws_launch_template.");
    expect(nodes.disk_size).toBeUndefined();
    expect(cluster.nodeGroupNames).toHaveLength(1);
  });

  it("replaces a node group (new instance or capacity type) by creating the new one before deleting the old", () => {
    const { one } = build();
    const nodes = one("aws_eks_node_group");
    // A fixed name would make create-before-destroy fail; a prefix gets a new unique suffix.
    expect(nodes.node_group_name_prefix).toMatch(/-$/);
    expect(nodes.lifecycle).toMatchObject({
      create_before_destroy: true,
      ignore_changes: ["scaling_config[0].desired_size"],
    });
  });

  it("installs the core add-ons at pinned versions, the EBS CSI driver and Container Insights through Pod Identity", () => {
    const { all, one } = build();
    const addons = all("aws_eks_addon");
    expect(addons.map((a) => a.addon_name).sort()).toEqual([...CORE_ADDONS].sort());
    for (const a of addons) {
      expect(a.addon_version).toBe(ADDON_VERSIONS["1.35"]?.[a.addon_name as (typeof CORE_ADDONS)[number]]);
    }
    expect(all("aws_eks_pod_identity_association")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ namespace: "kube-system", service_account: "ebs-csi-controller-sa" }),
        expect.objectContaining({ namespace: "amazon-cloudwatch", service_account: "cloudwatch-agent" }),
      ]),
    );
    for (const name of ["aws-ebs-csi-driver", "amazon-cloudwatch-observability"]) {
      expect(addons.find((a) => a.addon_name === name)?.depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^aws_eks_pod_identity_association\./)]),
      );
    }
    const cni = addons.find((a) => a.addon_name === "vpc-cni");
    expect(one("aws_eks_node_group").depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining(`aws_eks_addon.`)]),
    );
    expect(cni?.depends_on ?? []).toEqual([]);
  });

  it("installs the Secrets Store CSI driver's AWS provider after the nodes, never syncing secrets into etcd", () => {
    const { all } = build();
    const provider = all("aws_eks_addon").find(
      (a) => a.addon_name === "aws-secrets-store-csi-driver-provider",
    );
    expect(JSON.parse(String(provider?.configuration_values))).toEqual({
      "secrets-store-csi-driver": {
        syncSecret: { enabled: false },
        enableSecretRotation: true,
        rotationPollInterval: "2m",
      },
    });
    expect(provider?.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_eks_node_group\./),
        expect.stringMatching(/^aws_eks_addon\..*eks-pod-identity-agent/),
      ]),
    );
  });

  it("overrides an add-on version and validates it", () => {
    const { all } = build({ addonVersions: { coredns: "v1.12.2-eksbuild.4" } });
    expect(all("aws_eks_addon").find((a) => a.addon_name === "coredns")?.addon_version).toBe(
      "v1.12.2-eksbuild.4",
    );
    expect(() => build({ addonVersions: { coredns: "latest" } })).toThrow(
      "Cluster: addonVersions.coredns must be an exact version such as v1.19.5-eksbuild.1, got 'latest'",
    );
  });

  it("attaches only the AWS managed policies the cluster, nodes, EBS driver and CloudWatch agent need", () => {
    const { all } = build();
    const arns = all("aws_iam_role_policy_attachment").map((a) =>
      String(a.policy_arn).replace(/^.*:policy\//, ""),
    );
    expect(arns.sort()).toEqual(
      [
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonEKSClusterPolicy",
        "AmazonEKSVPCResourceController",
        "CloudWatchAgentServerPolicy",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "service-role/AmazonEBSCSIDriverPolicy",
      ].sort(),
    );
    const inline = JSON.parse(String(all("aws_iam_role_policy")[0]?.policy)) as {
      Statement: { Action: string[]; Resource: string[] }[];
    };
    expect(inline.Statement.flatMap((s) => s.Resource)).not.toContain("*");
    expect(inline.Statement.flatMap((s) => s.Action).every((a) => a.startsWith("kms:"))).toBe(true);
  });

  it("gives viewer roles read access scoped to their namespaces, and rejects an admin listed twice", () => {
    const plan = "arn:aws:iam::123456789012:role/dev-ci-plan";
    const { all } = build({ viewerRoles: [{ roleArn: plan, namespaces: ["dev-argocd"] }] });
    expect(all("aws_eks_access_entry")).toContainEqual(expect.objectContaining({ principal_arn: plan }));
    const association = all("aws_eks_access_policy_association").find((a) => a.principal_arn === plan);
    expect(String(association?.policy_arn)).toMatch(/AmazonEKSAdminViewPolicy$/);
    expect(association?.access_scope).toEqual({ type: "namespace", namespaces: ["dev-argocd"] });
    expect(() => build({ adminRoleArns: [plan], viewerRoles: [{ roleArn: plan }] })).toThrow(
      /viewerRoles\[0\]\.roleArn '.*dev-ci-plan' is already an admin/,
    );
  });

  it("associates workload service accounts through Pod Identity", () => {
    const role = "arn:aws:iam::123456789012:role/orders";
    const { all } = build({ podIdentities: [{ namespace: "orders", serviceAccount: "api", roleArn: role }] });
    expect(all("aws_eks_pod_identity_association")).toContainEqual(
      expect.objectContaining({ namespace: "orders", service_account: "api", role_arn: role }),
    );
  });

  it("rejects bad props naming the prop, the value and what was expected", () => {
    expect(() => build({ version: "1.29" })).toThrow(
      "Cluster: version must be one of 1.33, 1.35 (versions with pinned add-ons), got '1.29'",
    );
    expect(() => build({ supportType: "LONG" as "STANDARD" })).toThrow(
      "Cluster: supportType must be one of STANDARD, EXTENDED, got 'LONG'",
    );
    expect(() => build(group({ minSize: 3, desiredSize: 2, maxSize: 4 }))).toThrow(
      "Cluster: nodeGroups[0] needs minSize <= desiredSize <= maxSize, got 3 / 2 / 4",
    );
    expect(() => build(group({ minSize: 1, desiredSize: 5, maxSize: 4 }))).toThrow("got 1 / 5 / 4");
    expect(() => build(group({ maxSize: 0, minSize: 0, desiredSize: 0 }))).toThrow(
      "nodeGroups[0].maxSize must be >= 1, got 0",
    );
    expect(() => build(group({ minSize: -1 }))).toThrow(
      "nodeGroups[0].minSize must be a whole number >= 0, got -1",
    );
    expect(() => build(group({ diskSizeGib: 8 }))).toThrow(
      "nodeGroups[0].diskSizeGib must be a whole number from 20 to 1000, got 8",
    );
    expect(() => build(group({ instanceTypes: ["m5.large"] }))).toThrow(
      "nodeGroups[0].instanceTypes entry 'm5.large' is not a Graviton (arm64) type but amiType is 'AL2023_ARM_64_STANDARD'",
    );
    expect(() => build(group({ instanceTypes: ["m7g.large"], amiType: "AL2023_x86_64_STANDARD" }))).toThrow(
      "'m7g.large' is a Graviton (arm64) type but amiType is 'AL2023_x86_64_STANDARD'",
    );
    expect(() => build(group({ name: "App Nodes" }))).toThrow(
      "nodeGroups[0].name must be one lowercase glossary word",
    );
    expect(() => build({ nodeGroups: [] })).toThrow("nodeGroups must hold at least one node group, got []");
    expect(() => build({ subnetIds: ["subnet-a"] })).toThrow(
      'subnetIds must list subnets in at least two AZs, got ["subnet-a"]',
    );
    expect(() => build({ adminRoleArns: ["arn:aws:iam::123:user/bob"] })).toThrow(
      "adminRoleArns entry must be an IAM role ARN (arn:aws:iam::123456789012:role/name), got 'arn:aws:iam::123:user/bob'",
    );
    expect(() => build({ publicAccessCidrs: ["203.0.113.1/24"] })).toThrow(
      "publicAccessCidrs entry '203.0.113.1/24' is not valid",
    );
    expect(() => build({ logRetentionDays: 2 })).toThrow("logRetentionDays must be one of 1, 3, 5");
    expect(() =>
      build({ podIdentities: [{ namespace: "Orders", serviceAccount: "api", roleArn: "arn:x" }] }),
    ).toThrow("podIdentities[0].namespace must be a Kubernetes name");
  });

  it("turns deletion protection on unless told otherwise", () => {
    expect(build().one("aws_eks_cluster").deletion_protection).toBe(true);
    expect(build({ deletionProtection: false }).one("aws_eks_cluster").deletion_protection).toBe(false);
  });
});

describe("Cluster nodes: cost tags and pod density", () => {
  const decode = (b64: unknown) => Buffer.from(String(b64), "base64").toString("utf8");

  it("tags instances, volumes and network interfaces at launch with the tags given", () => {
    const tags = { "cost-centre": "CC-1", environment: "dev" };
    const { one } = build({ instanceTags: tags });
    expect(one("aws_launch_template").tag_specifications).toEqual([
      { resource_type: "instance", tags },
      { resource_type: "volume", tags },
      { resource_type: "network-interface", tags },
    ]);
  });

  it("turns on VPC CNI prefix delegation and raises kubelet maxPods to match", () => {
    const { all, one } = build();
    const cni = all("aws_eks_addon").find((a) => a.addon_name === "vpc-cni");
    expect(JSON.parse(String(cni?.configuration_values)).env).toMatchObject({
      ENABLE_PREFIX_DELEGATION: "true",
      WARM_PREFIX_TARGET: "1",
    });
    const userData = decode(one("aws_launch_template").user_data);
    expect(userData).toContain("Content-Type: application/node.eks.aws");
    expect(userData).toMatch(/kind: NodeConfig[\s\S]*maxPods: 110/);
  });

  it("turns on security groups for pods, with the VPC resource controller on the cluster role", () => {
    const { all } = build();
    const cni = all("aws_eks_addon").find((a) => a.addon_name === "vpc-cni");
    expect(JSON.parse(String(cni?.configuration_values)).env).toMatchObject({
      ENABLE_POD_ENI: "true",
      POD_SECURITY_GROUP_ENFORCING_MODE: "standard",
    });
    const policies = all("aws_iam_role_policy_attachment").map((a) => String(a.policy_arn));
    expect(policies.some((arn) => arn.endsWith(":policy/AmazonEKSVPCResourceController"))).toBe(true);
    const off = build({ podSecurityGroups: false, prefixDelegation: false });
    const offCni = off.all("aws_eks_addon").find((a) => a.addon_name === "vpc-cni");
    expect(offCni?.configuration_values).toBeUndefined();
    const offPolicies = off.all("aws_iam_role_policy_attachment").map((a) => String(a.policy_arn));
    expect(offPolicies.some((arn) => arn.endsWith("AmazonEKSVPCResourceController"))).toBe(false);
  });

  it("leaves the ENI limit alone when prefix delegation is turned off, and checks maxPodsPerNode", () => {
    const { all, one } = build({ prefixDelegation: false });
    const cni = all("aws_eks_addon").find((a) => a.addon_name === "vpc-cni");
    expect(JSON.parse(String(cni?.configuration_values)).env.ENABLE_PREFIX_DELEGATION).toBeUndefined();
    expect(one("aws_launch_template").user_data).toBeUndefined();
    expect(() => build({ maxPodsPerNode: 0 })).toThrow(
      /maxPodsPerNode must be a whole number from 1 to 250, got 0/,
    );
  });
});

describe("isArmInstanceType", () => {
  it("recognises Graviton families", () => {
    for (const t of [
      "t4g.medium",
      "m7g.large",
      "c6gn.xlarge",
      "r8g.2xlarge",
      "m6gd.large",
      "g5g.xlarge",
      "is4gen.large",
    ]) {
      expect(isArmInstanceType(t), t).toBe(true);
    }
    for (const t of ["m5.large", "t3.medium", "g5.xlarge", "c7i.large", "m7a.large", "inf2.xlarge"]) {
      expect(isArmInstanceType(t), t).toBe(false);
    }
  });
});
