import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { parse as parseYaml } from "yaml";
import { organisation } from "../../environments/shared.ts";

/** The repository root (this file is gitops/validate/charts.ts). */
export const ROOT = resolve(import.meta.dirname, "..", "..");
export const GITOPS = join(ROOT, "gitops");
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
/** The chart an environment file is the values of (the root Application syncs it). */
export const PLATFORM_APPS = "gitops/charts/platform-apps";
/** The chart every tenant of an environment file's `tenants:` gets (docs/tenants.md). */
export const TENANT_CHART = "gitops/charts/tenant";
/** What the cluster secret's server is for rendering without a cluster. */
export const PLACEHOLDER_SERVER = "https://kubernetes.default.svc";

export type Values = Record<string, unknown>;

export interface AppEntry {
  enabled: boolean;
  /** The tenant owning the app (a key of `tenants:`); it runs in that tenant's AppProject. */
  tenant?: string;
  path: string;
  namespace: string;
  values?: Values;
  clusterMetadata?: Record<string, string>;
}

/** One app of one environment, as Argo CD will install it: a chart, a namespace and its values. */
export interface Release {
  environment: string;
  app: string;
  /** Repository-relative chart folder. */
  chart: string;
  namespace: string;
  enabled: boolean;
  /** The environment file it comes from (repository-relative). */
  file: string;
  /** Where its values sit in that file. */
  valuesPath: string;
  /** Values the ApplicationSet passes: `values` plus each clusterMetadata parameter (placeholders here). */
  values: Values;
}

export const rel = (path: string) => relative(ROOT, path);
export const readYaml = (path: string) => parseYaml(readFileSync(path, "utf8")) as unknown;
const isObject = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Repository-relative folders of every chart under gitops/charts. */
export function charts(): string[] {
  return readdirSync(join(GITOPS, "charts"))
    .filter((name) => existsSync(join(GITOPS, "charts", name, "Chart.yaml")))
    .map((name) => `gitops/charts/${name}`);
}

export const envFile = (environment: string) => `gitops/envs/${environment}/values.yaml`;

/** Helm's merge of a chart's values.yaml with given values: maps merge key by key, the rest replaces. */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** Sets a Helm parameter name (`a.b.c`, as `--set` reads it) in values. */
export function setParameter(values: Values, name: string, value: string): Values {
  const [head, ...rest] = name.split(".");
  if (!head) throw new Error(`empty Helm parameter name '${name}'`);
  if (rest.length === 0) return { ...values, [head]: value };
  const inner = values[head];
  return { ...values, [head]: setParameter(isObject(inner) ? inner : {}, rest.join("."), value) };
}

/**
 * What an annotation of the cluster secret holds, for rendering without a cluster: the environment
 * name for sluice.dev/environment (charts use it in labels), a marked placeholder for the rest.
 */
export function placeholder(annotation: string, environment: string): string {
  if (annotation === "sluice.dev/environment") return environment;
  if (annotation === "sluice.dev/region") return "eu-west-1";
  return `placeholder-${annotation.replace(/^sluice\.dev\//, "")}`;
}

export interface TenantEntry {
  team: string;
  sourceRepos?: string[];
  values?: Values;
}

/** Every app and every tenant of an environment file as a release (enabled or not: a disabled app is still checked). */
export function releases(environment: string): Release[] {
  return [...appReleases(environment), ...tenantReleases(environment)];
}

/**
 * Each tenant of an environment file as the release of charts/tenant its ApplicationSet makes
 * (`<env>-<tenant>-tenant`): the values platform-apps' tenants.yaml writes, the server a placeholder.
 */
export function tenantReleases(environment: string): Release[] {
  const file = envFile(environment);
  const doc = readYaml(join(ROOT, file));
  const tenants = isObject(doc) && isObject(doc.tenants) ? doc.tenants : {};
  return Object.entries(tenants).map(([name, raw]) => {
    const entry = (isObject(raw) ? raw : {}) as Partial<TenantEntry>;
    return {
      environment,
      app: `${name}-tenant`,
      chart: TENANT_CHART,
      namespace: `${environment}-${name}`,
      enabled: true,
      file,
      valuesPath: `tenants.${name}.values`,
      values: {
        environment,
        argocdNamespace: `${environment}-argocd`,
        name,
        team: entry.team,
        sourceRepos: entry.sourceRepos?.length ? entry.sourceRepos : [organisation.gitopsRepoUrl],
        ...(isObject(entry.values) ? entry.values : {}),
        server: PLACEHOLDER_SERVER,
      },
    };
  });
}

/** Fields of charts/tenant an environment file sets beside `values:` (the rest platform-apps sets). */
const TENANT_ENTRY_FIELDS = new Set(["team", "sourceRepos"]);

/** A release's values checked against its chart's schema, each problem naming the field where the file sets it. */
export function releaseProblems(release: Release): string[] {
  const problems = valuesProblems(release.chart, release.values, release.file, release.valuesPath);
  if (release.chart !== TENANT_CHART) return problems;
  const prefix = `${release.file}: ${release.valuesPath}.`;
  const entry = release.valuesPath.replace(/\.values$/, "");
  return problems.map((p) => {
    const field = p.startsWith(prefix) ? (p.slice(prefix.length).split(/[.:]/)[0] ?? "") : "";
    return TENANT_ENTRY_FIELDS.has(field) ? `${release.file}: ${entry}.${p.slice(prefix.length)}` : p;
  });
}

/**
 * Apps owned by a tenant that its AppProject would refuse: a tenant not under `tenants:`, or a namespace
 * not among the tenant's (`<env>-<tenant>`, or `<env>-<tenant>-<x>` for x in its extraNamespaces).
 * Argo CD would only say so when it syncs; this names the file and field before the merge.
 */
export function tenantAppProblems(
  environment: string,
  doc: unknown = readYaml(join(ROOT, envFile(environment))),
): string[] {
  const file = envFile(environment);
  const apps = isObject(doc) && isObject(doc.apps) ? doc.apps : {};
  const tenants = isObject(doc) && isObject(doc.tenants) ? doc.tenants : {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(apps)) {
    const app = raw as Partial<AppEntry>;
    if (app.tenant === undefined) continue;
    const tenant = tenants[app.tenant];
    if (!isObject(tenant)) {
      problems.push(
        `${file}: apps.${name}.tenant: no tenant '${app.tenant}' under tenants (expected one of ${Object.keys(tenants).join(", ") || "none"})`,
      );
      continue;
    }
    const base = `${environment}-${app.tenant}`;
    const values = isObject(tenant.values) ? tenant.values : {};
    const extra = Array.isArray(values.extraNamespaces) ? values.extraNamespaces.map(String) : [];
    const allowed = [base, ...extra.map((x) => `${base}-${x}`)];
    if (!allowed.includes(String(app.namespace)))
      problems.push(
        `${file}: apps.${name}.namespace: '${String(app.namespace)}' is not a namespace of tenant ${app.tenant} (${allowed.join(", ")})`,
      );
  }
  return problems;
}

/**
 * Differences between the tenants an environment's config declares (`environments/<env>.ts`, the
 * Terraform half) and those its values file declares (the Argo CD half): a tenant in one and not the
 * other is half onboarded, and both halves must name the same team (a bare slug is in `organisation`'s org).
 */
export function tenantPairingProblems(
  environment: string,
  configTenants: readonly { readonly name: string; readonly team: string }[],
  doc: unknown = readYaml(join(ROOT, envFile(environment))),
): string[] {
  const file = envFile(environment);
  const configFile = `environments/${environment}.ts`;
  const tenants = isObject(doc) && isObject(doc.tenants) ? doc.tenants : {};
  const org = organisation.repository.split("/")[0];
  const problems: string[] = [];
  for (const t of configTenants) {
    const entry = tenants[t.name];
    if (!isObject(entry)) {
      problems.push(`${file}: tenants.${t.name}: missing; ${configFile} declares tenant '${t.name}'`);
      continue;
    }
    const team = t.team.includes("/") ? t.team : `${org}/${t.team}`;
    if (entry.team !== team)
      problems.push(
        `${file}: tenants.${t.name}.team: '${String(entry.team)}' differs from ${configFile}'s '${t.team}'`,
      );
  }
  const declared = new Set(configTenants.map((t) => t.name));
  for (const name of Object.keys(tenants))
    if (!declared.has(name))
      problems.push(
        `${file}: tenants.${name}: not a tenant of ${configFile} (add it there, or remove it here)`,
      );
  return problems;
}

function appReleases(environment: string): Release[] {
  const file = envFile(environment);
  const doc = readYaml(join(ROOT, file));
  const apps = isObject(doc) && isObject(doc.apps) ? doc.apps : {};
  return Object.entries(apps).map(([app, raw]) => {
    const entry = raw as AppEntry;
    let values: Values = isObject(entry.values) ? entry.values : {};
    for (const [param, annotation] of Object.entries(entry.clusterMetadata ?? {})) {
      values = setParameter(values, param, placeholder(annotation, environment));
    }
    return {
      environment,
      app,
      chart: entry.path,
      namespace: entry.namespace,
      enabled: entry.enabled,
      file,
      valuesPath: `apps.${app}.values`,
      values,
    };
  });
}

/** The chart's values.yaml (its defaults). */
export const chartDefaults = (chart: string) => (readYaml(join(ROOT, chart, "values.yaml")) ?? {}) as Values;

export const chartSchema = (chart: string) =>
  JSON.parse(readFileSync(join(ROOT, chart, "values.schema.json"), "utf8")) as Values;

type Validator = ReturnType<Ajv2020["compile"]>;
const validators = new Map<string, Validator>();

/** A JSON pointer from ajv (`/a/0/b`) as a dotted field path under `prefix`. */
function fieldPath(prefix: string, pointer: string): string {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  return [prefix, ...parts].filter(Boolean).join(".") || "(root)";
}

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") return `unknown field '${String(p.additionalProperty)}'`;
  if (error.keyword === "required") return `missing required field '${String(p.missingProperty)}'`;
  if (error.keyword === "enum") return `must be one of ${JSON.stringify(p.allowedValues)}`;
  const description = (error.parentSchema as Values | undefined)?.description;
  if (error.keyword === "oneOf" && typeof description === "string") return `expected ${description}`;
  return error.message ?? error.keyword;
}

/**
 * Problems with `values` under `chart`'s values.schema.json (after Helm's merge with the chart's
 * defaults, as Helm validates), each as `file: field.path: what was expected`.
 */
export function valuesProblems(chart: string, values: Values, file: string, valuesPath = ""): string[] {
  let validate = validators.get(chart);
  if (!validate) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      verbose: true,
    });
    validate = ajv.compile(chartSchema(chart));
    validators.set(chart, validate);
  }
  if (validate(mergeValues(chartDefaults(chart), values))) return [];
  return (
    (validate.errors ?? [])
      // "if" and "not" only report that a branch of a composite failed; the composite's error says why.
      .filter((e) => e.keyword !== "if" && e.keyword !== "not")
      .map((e) => {
        const field =
          e.keyword === "additionalProperties"
            ? fieldPath(valuesPath, `${e.instancePath}/${String((e.params as Values).additionalProperty)}`)
            : fieldPath(valuesPath, e.instancePath);
        return `${file}: ${field}: ${describe(e)}`;
      })
  );
}
