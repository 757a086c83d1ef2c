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
  // Secrets Store CSI driver with the AWS provider: workloads mount their Secrets Manager secrets as
  // files, fetched with their own Pod Identity (docs/adr/0003-workload-secrets.md).
  "aws-secrets-store-csi-driver-provider",
] as const;

export type CoreAddon = (typeof CORE_ADDONS)[number];

/**
 * Add-on versions per Kubernetes version. The 1.35 pins were taken from a public EKS 1.35 configuration,
 * not from `aws eks describe-addon-versions` (no AWS access here): confirm them before the first apply.
 * The same holds for aws-secrets-store-csi-driver-provider (both versions taken from public EKS
 * configurations) and its configuration values (`aws eks describe-addon-configuration`).
 */
export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<CoreAddon, string>>>> = {
  "1.33": {
    "vpc-cni": "v1.19.5-eksbuild.1",
    "kube-proxy": "v1.33.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    coredns: "v1.12.1-eksbuild.2",
    "aws-ebs-csi-driver": "v1.44.0-eksbuild.1",
    "amazon-cloudwatch-observability": "v4.1.0-eksbuild.1",
    "aws-secrets-store-csi-driver-provider": "v2.2.2-eksbuild.1",
  },
  "1.35": {
    "vpc-cni": "v1.21.1-eksbuild.3",
    "kube-proxy": "v1.35.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.13.2-eksbuild.1",
    "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
    "amazon-cloudwatch-observability": "v5.3.0-eksbuild.1",
    "aws-secrets-store-csi-driver-provider": "v3.1.3-eksbuild.1",
  },
};

export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(ADDON_VERSIONS);

export const DEFAULT_KUBERNETES_VERSION = "1.35";

/**
 * EKS support windows (ISO dates, from the EKS Kubernetes release calendar): standard support for 14
 * months after the EKS release, then extended support (billed per cluster-hour) for 12 more. With
 * `supportType = "STANDARD"`, EKS upgrades the control plane itself when standard support ends.
 */
export const EKS_SUPPORT_CALENDAR: Readonly<
  Record<string, { readonly standardSupportEnds: string; readonly extendedSupportEnds: string }>
> = {
  "1.33": { standardSupportEnds: "2026-07-29", extendedSupportEnds: "2027-07-29" },
  "1.34": { standardSupportEnds: "2026-12-02", extendedSupportEnds: "2027-12-02" },
  "1.35": { standardSupportEnds: "2027-03-27", extendedSupportEnds: "2028-03-27" },
};

export const SUPPORT_TYPES = ["STANDARD", "EXTENDED"] as const;
export type SupportType = (typeof SUPPORT_TYPES)[number];

/**
 * Why `version` cannot run under `supportType` on `day` (an ISO date), or undefined when it can:
 * STANDARD needs the version inside standard support (afterwards EKS upgrades the cluster under
 * Terraform's feet), EXTENDED inside extended support. Unknown versions are refused.
 */
export function supportProblem(version: string, supportType: SupportType, day: string): string | undefined {
  const window = EKS_SUPPORT_CALENDAR[version];
  if (!window) {
    return `Kubernetes ${version} is not in the EKS support calendar (known: ${Object.keys(EKS_SUPPORT_CALENDAR).join(", ")})`;
  }
  const end = supportType === "STANDARD" ? window.standardSupportEnds : window.extendedSupportEnds;
  return day < end
    ? undefined
    : `Kubernetes ${version} left EKS ${supportType.toLowerCase()} support on ${end}; move to a newer version`;
}

/** An EKS add-on version string, e.g. v1.19.5-eksbuild.1. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** AMI types whose root device is /dev/xvda (the launch template's block device). */
export const AMI_TYPES = ["AL2023_ARM_64_STANDARD", "AL2023_x86_64_STANDARD"] as const;
export type AmiType = (typeof AMI_TYPES)[number];

/** Graviton (arm64) instance families have a `g` after the generation digit: t4g, m7g, c6gn, r8g. */
export function isArmInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType);
}
