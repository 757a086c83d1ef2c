import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Namer } from "../naming/namer.ts";

/** The pass-through chart, relative to the repository root. */
export const CLUSTER_MANIFESTS_CHART_PATH = "gitops/charts/cluster-manifests";
/**
 * The chart as Terraform finds it: Terraform runs in `cdktf.out/stacks/<stack>/`, three levels below
 * the repository root (the same reason the bootstrap stack's local state path climbs three levels).
 */
const CHART_FROM_STACK_DIR = `../../../${CLUSTER_MANIFESTS_CHART_PATH}`;

/** A Kubernetes object, whole. */
export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

export interface ClusterManifestsProps {
  /** Glossary tokens naming the Helm release, e.g. ["karpenter", "nodes"] gives `{env}-karpenter-nodes`. */
  readonly nameTokens: readonly string[];
  /** Namespace the release's record lives in (the objects carry their own). */
  readonly namespace: string;
  /** The objects; at least one. */
  readonly manifests: readonly KubernetesManifest[];
  /**
   * What must exist first, e.g. the Helm release that installs the objects' CRDs.
   * @default nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Applies Kubernetes objects of custom kinds through a Helm release of a pass-through chart. A
 * `kubernetes_manifest` would need the CRD at plan time, which does not exist before its operator's
 * first install, so a fresh environment could never be planned; Helm validates at apply.
 */
export class ClusterManifests extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ClusterManifestsProps) {
    super(scope, id);
    if (props.manifests.length === 0)
      throw new Error("ClusterManifests: manifests must hold at least one object");
    props.manifests.forEach((m, i) => {
      if (!m.apiVersion || !m.kind || !m.metadata?.name)
        throw new Error(
          `ClusterManifests: manifests[${i}] must have apiVersion, kind and metadata.name, got ${JSON.stringify({ apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata })}`,
        );
    });
    this.release = new Release(this, "release", {
      name: Namer.of(this).name("helm-release", ...props.nameTokens),
      namespace: props.namespace,
      chart: CHART_FROM_STACK_DIR,
      atomic: true,
      cleanupOnFail: true,
      values: [JSON.stringify({ manifests: props.manifests })],
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });
  }
}
