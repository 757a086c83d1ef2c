import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { organisation } from "../../environments/shared.ts";
import { ENVIRONMENTS, envFile, PLATFORM_APPS, ROOT, readYaml, releases, type Values } from "./charts.ts";

/** One `helm template` run of users' CI: a release of a chart with one values file. */
export interface RenderJob {
  release: string;
  chart: string;
  namespace: string;
  /** Values file written for this job. */
  values: string;
  /** Hand-written rendering it must match (gitops/validate/test/rendered/<release>.yaml), or "-". */
  fixture: string;
}

const RENDERED = "gitops/validate/test/rendered";

/**
 * Every chart with every environment's values, as Argo CD installs them: each environment's
 * platform-apps (the root Application's release `<env>-gitops`, with the values it passes) and each
 * app of it (release `<env>-<app>`, the ApplicationSet's name, cluster-secret parameters as placeholders).
 */
export function renderJobs(outDir: string): RenderJob[] {
  mkdirSync(outDir, { recursive: true });
  const jobs: RenderJob[] = [];
  const add = (release: string, chart: string, namespace: string, values: Values) => {
    const file = join(outDir, `${release}.yaml`);
    writeFileSync(file, stringify(values));
    const fixture = `${RENDERED}/${release}.yaml`;
    jobs.push({
      release,
      chart,
      namespace,
      values: file,
      fixture: existsSync(join(ROOT, fixture)) ? fixture : "-",
    });
  };
  for (const environment of ENVIRONMENTS) {
    const argocd = `${environment}-argocd`;
    add(`${environment}-platform-apps`, PLATFORM_APPS, argocd, {
      ...(readYaml(join(ROOT, envFile(environment))) as Values),
      environment,
      argocdNamespace: argocd,
      repoURL: organisation.gitopsRepoUrl,
      targetRevision: "main",
    });
    for (const r of releases(environment)) add(`${environment}-${r.app}`, r.chart, r.namespace, r.values);
  }
  return jobs;
}

// users' CI: `tsx gitops/validate/app-values.ts <dir>` prints one tab-separated job per line.
if (process.argv[1] === import.meta.filename) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: app-values.ts <output directory>");
    process.exit(2);
  }
  for (const j of renderJobs(outDir))
    console.log([j.release, j.chart, j.namespace, j.values, j.fixture].join("\t"));
}
