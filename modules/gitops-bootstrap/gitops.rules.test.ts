import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { clusterRules } from "../../core/rules/cluster.ts";
import { gitopsRules } from "../../core/rules/gitops.ts";
import { networkRules } from "../../core/rules/network.ts";
import { runRules } from "../../core/rules/run.ts";
import type { TerraformJson } from "../../core/rules/types.ts";
import { Cluster } from "../cluster/cluster.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { configureClusterProviders } from "./cluster-providers.ts";
import { GitopsBootstrap } from "./gitops-bootstrap.ts";

/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

function tripped(stack: TerraformStack) {
  return runRules(
    [{ name: "dev-gitops", json: synthJson(stack) as TerraformJson }],
    [...gitopsRules, ...clusterRules, ...networkRules],
  );
}

function gitops(argocdValues?: string[]) {
  const stack = testStack();
  configureClusterProviders(stack, "dev-eks-cluster", "eu-west-1");
  const built = new GitopsBootstrap(stack, "gitops", {
    clusterName: "dev-eks-cluster",
    repoUrl: "https://github.com/acme/platform.git",
    ...(argocdValues ? { argocdValues } : {}),
  });
  const release = (id: string) =>
    built.node.findChild(id) as unknown as { addOverride(p: string, v: unknown): void };
  return { stack, release };
}

describe("gitops rules", () => {
  it("pass on the default GitopsBootstrap stack", () => {
    expect(tripped(gitops().stack)).toEqual([]);
  });

  it("helm-chart-pinned trips on a version range and on a missing version", () => {
    const range = gitops();
    range.release("argocd").addOverride("version", "^8.3.0");
    const found = tripped(range.stack);
    expect(found.map((v) => v.rule)).toEqual(["helm-chart-pinned"]);
    expect(found[0]?.message).toBe(
      "chart 'argo-cd' has version '^8.3.0', expected an exact version such as 1.2.3",
    );
    expect(found[0]?.address).toMatch(/^helm_release\.gitops_argocd_/);

    const missing = gitops();
    missing.release("root-app").addOverride("version", null);
    expect(tripped(missing.stack).map((v) => v.message)).toEqual([
      "chart 'argocd-apps' has no version, expected an exact version such as 1.2.3",
    ]);
  });

  it("helm-chart-pinned leaves charts from a local path alone", () => {
    const local = gitops();
    local.release("root-app").addOverride("repository", null);
    local.release("root-app").addOverride("chart", "./charts/root");
    local.release("root-app").addOverride("version", null);
    expect(tripped(local.stack)).toEqual([]);
  });

  it("k8s-providers-separate-stack trips when the cluster and its providers share a stack", () => {
    const stack = testStack();
    const cluster = new Cluster(stack, "cluster", {
      subnetIds: ["subnet-a", "subnet-b"],
      nodeGroups: [{ name: "app", minSize: 1, desiredSize: 1, maxSize: 2 }],
    });
    configureClusterProviders(stack, cluster.clusterName, "eu-west-1");
    expect(tripped(stack).map((v) => `${v.rule} ${v.address.split(".")[0]}`)).toEqual([
      "k8s-providers-separate-stack aws_eks_cluster",
    ]);
  });

  it("argocd-admin-disabled trips when extra values turn the admin user back on, or it cannot read them", () => {
    const on = tripped(gitops(["configs:\n  cm:\n    admin.enabled: true\n"]).stack);
    expect(on.map((v) => [v.rule, v.message])).toEqual([
      ["argocd-admin-disabled", 'configs.cm."admin.enabled" is true, expected false'],
    ]);
    const unreadable = tripped(gitops([tf("var.values")]).stack);
    expect(unreadable.map((v) => v.message)).toEqual(["cannot be checked: values[1] is not literal YAML"]);
    const set = gitops();
    set.release("argocd").addOverride("set", [{ name: "configs.cm.admin\\.enabled", value: "true" }]);
    expect(tripped(set.stack).map((v) => v.rule)).toEqual(["argocd-admin-disabled"]);
  });

  it("argocd-admin-disabled trips on the chart default (values without admin.enabled)", () => {
    const { stack, release } = gitops();
    release("argocd").addOverride("values", null);
    expect(tripped(stack).map((v) => v.message)).toEqual([
      'configs.cm."admin.enabled" is "true (chart default)", expected false',
    ]);
    // Extra values that leave admin.enabled alone keep the construct's false.
    expect(tripped(gitops(["dex:\n  enabled: false\n"]).stack)).toEqual([]);
  });
});
