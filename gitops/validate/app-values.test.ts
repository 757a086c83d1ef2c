import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderJobs } from "./app-values.ts";
import { PLATFORM_APPS, type Values, valuesProblems } from "./charts.ts";

const out = mkdtempSync(join(tmpdir(), "sluice-render-jobs-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("render jobs for users' CI (gitops.yml)", () => {
  const jobs = renderJobs(out);

  it("cover every chart with every environment's values, under the names Argo CD uses", () => {
    expect(jobs.map((j) => `${j.release} ${j.chart} ${j.namespace}`)).toEqual([
      "dev-platform-apps gitops/charts/platform-apps dev-argocd",
      "dev-platform gitops/charts/platform-config dev-platform",
      "dev-webhook gitops/charts/service dev-webhook",
      "dev-orders gitops/charts/service dev-orders",
      "dev-acme-tenant gitops/charts/tenant dev-acme",
      "dev-globex-tenant gitops/charts/tenant dev-globex",
      "staging-platform-apps gitops/charts/platform-apps staging-argocd",
      "staging-platform gitops/charts/platform-config staging-platform",
      "staging-webhook gitops/charts/service staging-webhook",
      "staging-orders gitops/charts/service staging-orders",
      "prod-platform-apps gitops/charts/platform-apps prod-argocd",
      "prod-platform gitops/charts/platform-config prod-platform",
      "prod-webhook gitops/charts/service prod-webhook",
      "prod-orders gitops/charts/service prod-orders",
    ]);
    expect(jobs.filter((j) => j.fixture !== "-").map((j) => j.fixture)).toEqual([
      "gitops/validate/test/rendered/dev-platform-apps.yaml",
      "gitops/validate/test/rendered/dev-acme-tenant.yaml",
      "gitops/validate/test/rendered/prod-platform-apps.yaml",
      "gitops/validate/test/rendered/prod-webhook.yaml",
      "gitops/validate/test/rendered/prod-orders.yaml",
    ]);
  });

  it("write values files that pass their chart's schema, with what the root Application passes", () => {
    for (const job of jobs) {
      const values = parse(readFileSync(job.values, "utf8")) as Values;
      expect(valuesProblems(job.chart, values, job.values), job.release).toEqual([]);
      if (job.chart === PLATFORM_APPS) {
        expect(values).toMatchObject({ argocdNamespace: job.namespace, targetRevision: "main" });
      }
    }
    const prod = parse(readFileSync(join(out, "prod-orders.yaml"), "utf8")) as Values;
    expect(prod).toMatchObject({ environment: "prod", env: { QUEUE_URL: "placeholder-queue-orders-url" } });
    const acme = parse(readFileSync(join(out, "dev-acme-tenant.yaml"), "utf8")) as Values;
    expect(acme).toMatchObject({ environment: "dev", name: "acme", argocdNamespace: "dev-argocd" });
  });
});
