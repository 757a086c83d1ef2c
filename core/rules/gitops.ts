import { parse as parseYaml } from "yaml";
import { type ResourceBlock, type Rule, resourcesOf, violation } from "./types.ts";

/** An exact SemVer version: no ranges, wildcards or tags such as "latest". */
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const helmChartPinned: Rule = {
  id: "helm-chart-pinned",
  description: "Every Helm release from a chart repository pins an exact chart version.",
  check(stack) {
    return resourcesOf(stack, "helm_release").flatMap((release) => {
      const chart = String(release.config.chart ?? "");
      // A chart from a local path carries its version in its own Chart.yaml.
      const local = (release.config.repository ?? undefined) === undefined && /^(\.{0,2}\/)/.test(chart);
      if (local) return [];
      const version = release.config.version;
      if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
        const got = version === undefined || version === null ? "no version" : `version '${String(version)}'`;
        return [
          violation(
            "helm-chart-pinned",
            stack,
            release,
            `chart '${chart}' has ${got}, expected an exact version such as 1.2.3`,
          ),
        ];
      }
      return [];
    });
  },
};

const clusterProvidersSeparateStack: Rule = {
  id: "k8s-providers-separate-stack",
  description:
    "Kubernetes and Helm providers are never configured in the stack that creates their EKS cluster.",
  check(stack) {
    const providers = ["kubernetes", "helm"].filter((p) => (stack.json.provider?.[p] ?? []).length > 0);
    if (providers.length === 0) return [];
    return resourcesOf(stack, "aws_eks_cluster").map((cluster) =>
      violation(
        "k8s-providers-separate-stack",
        stack,
        cluster,
        `${providers.join(" and ")} provider(s) configured in the same stack as the cluster; a first apply fails with "connection refused" (put them in the {env}-gitops stack)`,
      ),
    );
  },
};

/**
 * The value a Helm release ends up with at `path`, reading its `values` documents in order (later ones
 * win) and then its `set` entries. `unreadable` when a document is not literal YAML/JSON.
 */
export function helmValue(
  release: ResourceBlock,
  path: readonly string[],
): { readonly value: unknown } | { readonly unreadable: string } {
  let value: unknown;
  const docs = Array.isArray(release.config.values) ? release.config.values : [];
  for (const [i, doc] of docs.entries()) {
    if (typeof doc !== "string" || doc.includes("${"))
      return { unreadable: `values[${i}] is not literal YAML` };
    let parsed: unknown;
    try {
      parsed = parseYaml(doc);
    } catch {
      return { unreadable: `values[${i}] is not valid YAML` };
    }
    let node: unknown = parsed;
    for (const key of path)
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    if (node !== undefined) value = node;
  }
  const setName = path.map((k) => k.replace(/\./g, "\\.")).join(".");
  for (const entry of Array.isArray(release.config.set) ? release.config.set : []) {
    const e = entry as Record<string, unknown>;
    if (e.name === setName) value = e.value;
  }
  return { value };
}

const argocdAdminDisabled: Rule = {
  id: "argocd-admin-disabled",
  description:
    "Argo CD's local admin user is disabled (configs.cm admin.enabled = false): its initial password sits in a secret of the namespace the CI plan role may read.",
  check(stack) {
    return resourcesOf(stack, "helm_release")
      .filter((r) => r.config.chart === "argo-cd")
      .flatMap((release) => {
        const read = helmValue(release, ["configs", "cm", "admin.enabled"]);
        if ("unreadable" in read)
          return [
            violation("argocd-admin-disabled", stack, release, `cannot be checked: ${read.unreadable}`),
          ];
        if (read.value === false || read.value === "false") return [];
        return [
          violation(
            "argocd-admin-disabled",
            stack,
            release,
            `configs.cm."admin.enabled" is ${JSON.stringify(read.value ?? "true (chart default)")}, expected false`,
          ),
        ];
      });
  },
};

export const gitopsRules: readonly Rule[] = [
  helmChartPinned,
  clusterProvidersSeparateStack,
  argocdAdminDisabled,
];
