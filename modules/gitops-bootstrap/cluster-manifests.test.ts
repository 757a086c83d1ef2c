import { describe, expect, it } from "vitest";
import { gitopsRules } from "../../core/rules/gitops.ts";
import { runRules } from "../../core/rules/run.ts";
import { only, synthStack, testStack } from "../test/stack.ts";
import { CLUSTER_MANIFESTS_CHART_PATH, ClusterManifests } from "./cluster-manifests.ts";

const configMap = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "dev-x", namespace: "dev-argocd" },
};

describe("ClusterManifests", () => {
  it("applies the objects whole through the pass-through chart, found from the stack's directory", () => {
    const stack = testStack("dev", "dev-gitops");
    new ClusterManifests(stack, "objects", {
      nameTokens: ["db", "access"],
      namespace: "dev-argocd",
      manifests: [configMap],
    });
    const synthesized = synthStack(stack);
    const release = only(synthesized, "helm_release");
    expect(release).toMatchObject({
      name: "dev-db-access",
      namespace: "dev-argocd",
      chart: `../../../${CLUSTER_MANIFESTS_CHART_PATH}`,
      atomic: true,
    });
    expect(JSON.parse(String((release.values as string[])[0]))).toEqual({ manifests: [configMap] });
    // A chart from a local path carries its version in its Chart.yaml, so helm-chart-pinned accepts it.
    expect(runRules([synthesized], gitopsRules)).toEqual([]);
  });

  it("refuses no objects or an object without a kind or name", () => {
    const stack = testStack("dev", "dev-gitops");
    expect(
      () => new ClusterManifests(stack, "none", { nameTokens: ["db"], namespace: "x", manifests: [] }),
    ).toThrow("ClusterManifests: manifests must hold at least one object");
    const nameless = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "" } };
    expect(
      () => new ClusterManifests(stack, "bad", { nameTokens: ["db"], namespace: "x", manifests: [nameless] }),
    ).toThrow(/manifests\[0\] must have apiVersion, kind and metadata.name/);
  });
});
