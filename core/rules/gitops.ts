import { type Rule, resourcesOf, violation } from "./types.ts";

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

export const gitopsRules: readonly Rule[] = [helmChartPinned, clusterProvidersSeparateStack];
