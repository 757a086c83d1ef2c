import type { KubernetesManifest } from "../gitops-bootstrap/cluster-manifests.ts";

/** A workload allowed to reach the database: the pods matching `podLabels` in `namespace`. */
export interface DatabaseClient {
  /** Kubernetes namespace of the workload, e.g. "prod-orders". */
  readonly namespace: string;
  /** Labels selecting the workload's pods (a SecurityGroupPolicy `podSelector`); at least one. */
  readonly podLabels: Readonly<Record<string, string>>;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One SecurityGroupPolicy per declared client, giving its pods the database's access security group
 * (plus `alsoGroupIds`, normally the cluster security group, which pods need for DNS and the rest of
 * the cluster: a pod with its own security groups loses the node's). Each client namespace comes with
 * a Namespace object that Helm keeps on uninstall, so the policy can exist before Argo CD's first sync.
 */
export function databaseAccessManifests(
  environment: string,
  clients: readonly DatabaseClient[],
  accessGroupId: string,
  alsoGroupIds: readonly string[],
): KubernetesManifest[] {
  clients.forEach((c, i) => {
    if (!K8S_NAME.test(c.namespace))
      throw new Error(
        `databaseAccessManifests: clients[${i}].namespace must be a Kubernetes name, got '${c.namespace}'`,
      );
    if (Object.keys(c.podLabels).length === 0)
      throw new Error(
        `databaseAccessManifests: clients[${i}].podLabels must select the workload's pods, got {}`,
      );
  });
  const namespaces = [...new Set(clients.map((c) => c.namespace))];
  return [
    ...namespaces.map((name) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, annotations: { "helm.sh/resource-policy": "keep" } },
    })),
    ...clients.map((c, i) => ({
      apiVersion: "vpcresources.k8s.aws/v1beta1",
      kind: "SecurityGroupPolicy",
      metadata: { name: `${environment}-db-access-${i}`, namespace: c.namespace },
      spec: {
        podSelector: { matchLabels: { ...c.podLabels } },
        securityGroups: { groupIds: [accessGroupId, ...alsoGroupIds] },
      },
    })),
  ];
}
