import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import type { Construct } from "constructs";

export interface ClusterProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/** The client-authentication API the AWS CLI's `eks get-token` answers with. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/**
 * Configures the kubernetes and helm providers of `scope`'s stack from an EKS cluster looked up by
 * name. Use it only in a stack applied after the cluster's stack: providers configured from a cluster
 * created in the same apply fail with "connection refused".
 *
 * Credentials come from an `exec` plugin, `aws eks get-token`, run each time a provider needs a token,
 * rather than a token read once at plan time (a `data aws_eks_cluster_auth` token expires after 15
 * minutes, and a saved plan applied later would carry an expired one). So the AWS CLI must be where
 * Terraform runs (GitHub-hosted and CodeBuild images have it).
 */
export function configureClusterProviders(
  scope: Construct,
  clusterName: string,
  region: string,
): ClusterProviders {
  const cluster = new DataAwsEksCluster(scope, "eks-cluster", { name: clusterName });
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
  };
  const exec = {
    apiVersion: EXEC_API_VERSION,
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
  };
  return {
    // The kubernetes provider takes `exec` as a block, the helm provider (3.x) as an attribute.
    kubernetes: new KubernetesProvider(scope, "kubernetes", { ...connection, exec: [exec] }),
    helm: new HelmProvider(scope, "helm", { kubernetes: { ...connection, exec } }),
  };
}
