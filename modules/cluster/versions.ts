/**
 * Kubernetes versions this module builds clusters for, each with the EKS add-on versions pinned for it.
 * A version is "supported" here only when its add-ons are pinned, so every cluster is reproducible.
 * To add a version: `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`
 * and take the default version of each add-on.
 */
export const CORE_ADDONS = [
  "vpc-cni",
  "kube-proxy",
  "eks-pod-identity-agent",
  "coredns",
  "aws-ebs-csi-driver",
  // Container Insights: the node-count alarm reads its cluster_node_count metric.
  "amazon-cloudwatch-observability",
] as const;

export type CoreAddon = (typeof CORE_ADDONS)[number];

export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<CoreAddon, string>>>> = {
  "1.32": {
    "vpc-cni": "v1.19.2-eksbuild.5",
    "kube-proxy": "v1.32.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    coredns: "v1.11.4-eksbuild.2",
    "aws-ebs-csi-driver": "v1.41.0-eksbuild.1",
    "amazon-cloudwatch-observability": "v4.1.0-eksbuild.1",
  },
  "1.33": {
    "vpc-cni": "v1.19.5-eksbuild.1",
    "kube-proxy": "v1.33.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    coredns: "v1.12.1-eksbuild.2",
    "aws-ebs-csi-driver": "v1.44.0-eksbuild.1",
    "amazon-cloudwatch-observability": "v4.1.0-eksbuild.1",
  },
};

export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(ADDON_VERSIONS);

export const DEFAULT_KUBERNETES_VERSION = "1.33";

/** An EKS add-on version string, e.g. v1.19.5-eksbuild.1. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** AMI types whose root device is /dev/xvda (the launch template's block device). */
export const AMI_TYPES = ["AL2023_ARM_64_STANDARD", "AL2023_x86_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];

/** Graviton (arm64) instance families have a `g` after the generation digit: t4g, m7g, c6gn, r8g. */
export function isArmInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType);
}
