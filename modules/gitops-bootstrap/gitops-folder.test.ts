import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { environments } from "../../environments/index.ts";
import { buildEnvironment } from "../../infra/app.ts";
import { resourcesOf, synthJson } from "../test/stack.ts";
import { GitopsBootstrap, PLATFORM_APPS_CHART_PATH } from "./gitops-bootstrap.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const GITOPS = join(ROOT, "gitops");
const ENVIRONMENTS = ["dev", "staging", "prod"];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const yamlFiles = walk(GITOPS).filter((f) => /\.ya?ml$/.test(f));
const isTemplate = (file: string) => file.split("/").includes("templates");
const read = (file: string) => readFileSync(file, "utf8");

interface AppSpec {
  enabled?: boolean;
  path?: string;
  namespace?: string;
  values?: unknown;
  clusterMetadata?: Record<string, string>;
}

/**
 * Offset of the first Go-template action that never closes, or undefined. Skips comments and string
 * literals inside actions, so escapes such as {{`{{`}} count as one action.
 */
function unclosedAction(text: string): number | undefined {
  let i = text.indexOf("{{");
  for (; i !== -1; i = text.indexOf("{{", i)) {
    const start = i;
    i += 2;
    const body = text.slice(i).replace(/^-?\s*/, "");
    if (body.startsWith("/*")) {
      const end = text.indexOf("*/", i);
      if (end === -1) return start;
      i = end + 2;
    }
    for (;;) {
      const c = text[i];
      if (c === undefined) return start;
      if (text.startsWith("}}", i)) break;
      if (c === "`" || c === '"') {
        const close = text.indexOf(c, i + 1);
        if (close === -1 || text.slice(i, close).includes("\n")) return start;
        i = close + 1;
        continue;
      }
      i++;
    }
    i += 2;
  }
  return undefined;
}

/**
 * The annotations the environment's real GitopsBootstrap writes, as infra/app.ts builds it (roles and
 * queues included), so a values file cannot read a fact Terraform does not publish.
 */
function publishedAnnotations(environment: string): Set<string> {
  const config = environments.find((e) => e.config.name === environment)?.config;
  if (!config) throw new Error(`no environment '${environment}'`);
  const { gitops } = buildEnvironment(new App(), config);
  const bootstrap = gitops.node.findAll().find((c): c is GitopsBootstrap => c instanceof GitopsBootstrap);
  if (!bootstrap) throw new Error(`${environment}: no GitopsBootstrap in the gitops stack`);
  return new Set(Object.keys(bootstrap.annotations));
}

/** Annotations read with `index .metadata.annotations "<name>"` in templates and rendered ApplicationSets. */
function annotationsReadIn(text: string): string[] {
  return [...text.matchAll(/\.metadata\.annotations\s+\\?"([^"{\\]+)\\?"/g)].map((m) => m[1] ?? "");
}

describe("gitops/ folder", () => {
  it("holds YAML files outside templates/ that all parse", () => {
    const plain = yamlFiles.filter((f) => !isTemplate(f));
    expect(plain.length).toBeGreaterThanOrEqual(7);
    for (const file of plain) {
      const errors = parseAllDocuments(read(file)).flatMap((doc) => ("errors" in doc ? doc.errors : []));
      expect(errors, relative(ROOT, file)).toEqual([]);
    }
  });

  it("has Helm templates whose {{ }} actions all close", () => {
    const templates = yamlFiles.filter(isTemplate);
    expect(templates.length).toBeGreaterThan(0);
    for (const file of templates) {
      expect(unclosedAction(read(file)), relative(ROOT, file)).toBeUndefined();
    }
    expect(unclosedAction("a {{ .x }} b {{ `}}` }} c")).toBeUndefined();
    expect(unclosedAction("a {{ .x } b")).toBe(2);
    expect(unclosedAction('{{/* } */}} {{ "unterminated }}')).toBe(12);
  });

  it("has charts with a v2 Chart.yaml, an exact version and a values.yaml", () => {
    const charts = readdirSync(join(GITOPS, "charts"));
    expect(charts).toContain("platform-apps");
    for (const chart of charts) {
      const dir = join(GITOPS, "charts", chart);
      const meta = parseYaml(read(join(dir, "Chart.yaml"))) as Record<string, unknown>;
      expect(meta, chart).toMatchObject({ apiVersion: "v2", name: chart });
      expect(String(meta.version), chart).toMatch(/^\d+\.\d+\.\d+$/);
      expect(existsSync(join(dir, "values.yaml")), chart).toBe(true);
    }
  });

  it("is where the root application points", () => {
    expect(existsSync(join(ROOT, PLATFORM_APPS_CHART_PATH, "Chart.yaml"))).toBe(true);
  });

  for (const environment of ENVIRONMENTS) {
    describe(`envs/${environment}`, () => {
      const file = join(GITOPS, "envs", environment, "values.yaml");

      it("exists and lists apps whose charts exist, in namespaces named for the environment", () => {
        expect(existsSync(file)).toBe(true);
        const values = parseYaml(read(file)) as { apps?: Record<string, AppSpec> };
        const apps = Object.entries(values.apps ?? {});
        expect(apps.length).toBeGreaterThan(0);
        for (const [name, app] of apps) {
          expect(typeof app.enabled, name).toBe("boolean");
          expect(existsSync(join(ROOT, String(app.path), "Chart.yaml")), `${name}: ${app.path}`).toBe(true);
          expect(app.namespace, name).toMatch(new RegExp(`^${environment}-[a-z0-9-]+$`));
        }
      });

      it("gets a root Application that @kubernetes-models/argo-cd accepts, syncing this file", () => {
        const config = environments.find((e) => e.config.name === environment)?.config;
        if (!config) throw new Error(`no environment '${environment}'`);
        const { gitops } = buildEnvironment(new App(), config);
        const release = Object.values(resourcesOf(synthJson(gitops), "helm_release")).find(
          (r) => r.chart === "argocd-apps",
        );
        const values = JSON.parse(String((release?.values as string[] | undefined)?.[0] ?? "{}")) as {
          applications?: Record<
            string,
            { namespace: string; finalizers?: string[] } & Record<string, unknown>
          >;
        };
        const apps = Object.entries(values.applications ?? {});
        expect(apps.map(([name]) => name)).toEqual([`${environment}-gitops`]);
        for (const [name, { namespace, finalizers, ...spec }] of apps) {
          // argocd-apps renders each entry as an Application: name and metadata from the key, the rest its spec.
          const app = new Application({ metadata: { name, namespace, finalizers }, spec: spec as never });
          expect(() => app.validate(), name).not.toThrow();
          expect(app.spec.source?.helm?.valueFiles).toEqual([`../../envs/${environment}/values.yaml`]);
          const broken = new Application({
            metadata: { name },
            spec: { ...spec, destination: "x" } as never,
          });
          expect(() => broken.validate()).toThrow(/destination/);
        }
      });

      it("runs the change-control service where Terraform gives it its Pod Identity and the database", () => {
        const config = environments.find((e) => e.config.name === environment)?.config;
        if (!config) throw new Error(`no environment '${environment}'`);
        const values = parseYaml(read(file)) as { apps?: Record<string, AppSpec> };
        const webhook = values.apps?.webhook;
        const chartValues = (webhook?.values ?? {}) as {
          serviceAccount?: { name?: string };
          secretsStore?: { enabled?: boolean; objects?: Record<string, unknown> };
          networkPolicy?: { egress?: { cidr?: string; ports?: number[] }[] };
        };
        expect(webhook?.path).toBe("gitops/charts/service");
        // The chart names the service account like the release, `<env>-<app>`, unless told otherwise.
        const serviceAccount = chartValues.serviceAccount?.name || `${environment}-webhook`;
        const { platform } = buildEnvironment(new App(), config);
        const associations = platform.node
          .findAll()
          .filter((c): c is EksPodIdentityAssociation => c instanceof EksPodIdentityAssociation)
          .map((a) => `${a.namespaceInput}/${a.serviceAccountInput}`);
        expect(associations).toContain(`${webhook?.namespace}/${serviceAccount}`);
        expect(chartValues.secretsStore?.enabled).toBe(true);
        expect(Object.keys(chartValues.secretsStore?.objects ?? {}).sort()).toEqual(["db", "github"]);
        expect(webhook?.clusterMetadata).toMatchObject({
          "secretsStore.objects.github.objectName": "sluice.dev/secrets-webhook-github-arn",
          "secretsStore.objects.db.objectName": "sluice.dev/secrets-db-arn",
          "env.PGHOST": "sluice.dev/database-endpoint",
        });
        // The database sits in the environment's VPC; its NetworkPolicy allowance names that CIDR.
        expect(chartValues.networkPolicy?.egress).toContainEqual({
          cidr: config.network.cidr,
          ports: [5432],
        });
      });

      it("lets each database client's pod labels select the pods of an app on the service chart", () => {
        const config = environments.find((e) => e.config.name === environment)?.config;
        if (!config) throw new Error(`no environment '${environment}'`);
        const values = parseYaml(read(file)) as { apps?: Record<string, AppSpec> };
        // The service chart labels pods app.kubernetes.io/name: <release>, and the release is `<env>-<app>`.
        const selectable = Object.entries(values.apps ?? {})
          .filter(([, app]) => app.path === "gitops/charts/service")
          .map(([name, app]) => `${app.namespace} ${environment}-${name}`);
        expect(config.database.clients.length).toBeGreaterThan(0);
        for (const client of config.database.clients) {
          const name = client.podLabels["app.kubernetes.io/name"];
          expect(
            selectable,
            `environments/${environment}.ts database.clients: ${JSON.stringify(client)}`,
          ).toContain(`${client.namespace} ${name}`);
        }
      });

      it("reads only cluster-secret annotations that GitopsBootstrap writes", () => {
        const values = parseYaml(read(file)) as { apps?: Record<string, AppSpec> };
        const published = publishedAnnotations(environment);
        expect(published).toContain("sluice.dev/queue-orders-url");
        const read_ = Object.values(values.apps ?? {}).flatMap((app) =>
          Object.values(app.clusterMetadata ?? {}),
        );
        expect(read_).toContain("sluice.dev/queue-orders-url");
        for (const [name, app] of Object.entries(values.apps ?? {})) {
          for (const [param, annotation] of Object.entries(app.clusterMetadata ?? {})) {
            expect(published.has(annotation), `${name}.${param} reads '${annotation}'`).toBe(true);
          }
        }
        // Charts and rendered ApplicationSets (gitops/validate/test/rendered) reading an annotation directly.
        expect(
          annotationsReadIn("value: '{{`{{`}} index .metadata.annotations \"{{ $a }}\" {{`}}`}}'"),
        ).toEqual([]);
        expect(annotationsReadIn("v: '{{ index .metadata.annotations \"sluice.dev/vpc-id\" }}'")).toEqual([
          "sluice.dev/vpc-id",
        ]);
        for (const f of yamlFiles) {
          for (const annotation of annotationsReadIn(read(f))) {
            expect(published.has(annotation), `${relative(ROOT, f)} reads '${annotation}'`).toBe(true);
          }
        }
      });
    });
  }
});
