import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import type { Construct } from "constructs";

export interface ClusterProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
}

/**
 * Configures the kubernetes and helm providers of `scope`'s stack from an EKS cluster looked up by
 * name. Use it only in a stack applied after the cluster's stack: providers configured from a cluster
 * created in the same apply fail with "connection refused".
 *
 * The token comes from `data aws_eks_cluster_auth` (valid 15 minutes, refreshed on every plan/apply),
 * so no kubeconfig or aws CLI is needed where Terraform runs.
 */
export function configureClusterProviders(scope: Construct, clusterName: string): ClusterProviders {
  const cluster = new DataAwsEksCluster(scope, "eks-cluster", { name: clusterName });
  const auth = new DataAwsEksClusterAuth(scope, "eks-cluster-auth", { name: clusterName });
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
    token: auth.token,
  };
  return {
    kubernetes: new KubernetesProvider(scope, "kubernetes", connection),
    helm: new HelmProvider(scope, "helm", { kubernetes: connection }),
  };
}
