import { chartDefaults, mergeValues, type Release } from "./charts.ts";

/** The chart every microservice uses. */
export const SERVICE_CHART = "gitops/charts/service";

interface ServiceValues {
  image?: { repository?: string; digest?: string };
  replicas?: number;
  resources?: { requests?: { cpu?: string; memory?: string } };
  probes?: Record<string, { path?: string } | undefined>;
  autoscaling?: { enabled?: boolean; minReplicas?: number };
  podDisruptionBudget?: { enabled?: boolean };
}

/**
 * What a prod service (an app on the service chart) lacks, from its values merged with the chart's
 * defaults: requests, the three probes, a PodDisruptionBudget and at least two replicas (the
 * autoscaler's minimum when it owns the count).
 */
export function prodServiceProblems(release: Release): string[] {
  const v = mergeValues(chartDefaults(SERVICE_CHART), release.values) as ServiceValues;
  const at = `${release.file}: ${release.valuesPath}`;
  const out: string[] = [];
  if (!v.resources?.requests?.cpu)
    out.push(`${at}.resources.requests.cpu: a prod service needs a CPU request`);
  if (!v.resources?.requests?.memory)
    out.push(`${at}.resources.requests.memory: a prod service needs a memory request`);
  for (const probe of ["startup", "readiness", "liveness"]) {
    if (!v.probes?.[probe]?.path) out.push(`${at}.probes.${probe}: a prod service needs a ${probe} probe`);
  }
  if (v.podDisruptionBudget?.enabled !== true)
    out.push(`${at}.podDisruptionBudget.enabled: a prod service needs a PodDisruptionBudget`);
  const autoscaled = v.autoscaling?.enabled === true;
  const replicas = autoscaled ? v.autoscaling?.minReplicas : v.replicas;
  if (typeof replicas !== "number" || replicas < 2) {
    const field = autoscaled ? "autoscaling.minReplicas" : "replicas";
    out.push(`${at}.${field}: a prod service needs at least 2 replicas, got ${String(replicas)}`);
  }
  return out;
}
