import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import {
  charts,
  ENVIRONMENTS,
  envFile,
  mergeValues,
  PLATFORM_APPS,
  placeholder,
  ROOT,
  readYaml,
  releaseProblems,
  releases,
  setParameter,
  TENANT_CHART,
  tenantAppProblems,
  tenantPairingProblems,
  tenantReleases,
  type Values,
  valuesProblems,
} from "./charts.ts";
import { prodServiceProblems, SERVICE_CHART } from "./services.ts";

const DIGEST = `sha256:${"a".repeat(64)}`;
/** Minimal valid values of the service chart (what its values.yaml leaves to each app). */
const service = (extra: Values = {}): Values =>
  mergeValues(
    {
      environment: "prod",
      image: { repository: "333333333333.dkr.ecr.eu-west-1.amazonaws.com/prod-orders", digest: DIGEST },
      resources: { requests: { cpu: "100m", memory: "128Mi" } },
    },
    extra,
  );

describe("chart values schemas", () => {
  it("every chart has a draft 2020-12 values.schema.json that closes its top level", () => {
    expect(charts()).toEqual(
      expect.arrayContaining([PLATFORM_APPS, "gitops/charts/platform-config", SERVICE_CHART]),
    );
    for (const chart of charts()) {
      const schema = JSON.parse(readFileSync(join(ROOT, chart, "values.schema.json"), "utf8"));
      expect(schema.$schema, chart).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(schema.additionalProperties, chart).toBe(false);
    }
  });

  it("the charts' own defaults are valid where they are complete", () => {
    for (const chart of [PLATFORM_APPS, "gitops/charts/platform-config"]) {
      expect(valuesProblems(chart, {}, `${chart}/values.yaml`), chart).toEqual([]);
    }
    // The service chart leaves image and requests to each app on purpose: alone it must not render.
    expect(valuesProblems(SERVICE_CHART, {}, "x.yaml")).toEqual([
      "x.yaml: (root): missing required field 'image'",
      "x.yaml: (root): missing required field 'resources'",
    ]);
  });

  for (const environment of ENVIRONMENTS) {
    it(`${envFile(environment)} validates against platform-apps, and each app against its chart`, () => {
      const file = envFile(environment);
      expect(valuesProblems(PLATFORM_APPS, readYaml(join(ROOT, file)) as Values, file)).toEqual([]);
      const apps = releases(environment);
      expect(apps.map((r) => r.chart)).toContain(SERVICE_CHART);
      for (const release of apps) expect(releaseProblems(release)).toEqual([]);
    });
  }

  it("a broken values file fails naming the file and the field", () => {
    const file = "gitops/envs/prod/values.yaml";
    const at = (values: Values) => valuesProblems(SERVICE_CHART, service(values), file, "apps.orders.values");
    expect(at({ replica: 3 })).toEqual([`${file}: apps.orders.values.replica: unknown field 'replica'`]);
    expect(at({ image: { digest: "latest" } })).toEqual([
      `${file}: apps.orders.values.image.digest: must match pattern "^sha256:[a-f0-9]{64}$"`,
    ]);
    expect(at({ image: { repository: "ghcr.io/acme/orders:1.2.3" } })[0]).toMatch(
      /^gitops\/envs\/prod\/values\.yaml: apps\.orders\.values\.image\.repository: must match pattern/,
    );
    expect(at({ image: { tag: "1.2.3" } })).toEqual([
      `${file}: apps.orders.values.image.tag: unknown field 'tag'`,
    ]);
    expect(at({ resources: { requests: { cpu: "100m", memory: null } } })).toEqual([
      `${file}: apps.orders.values.resources.requests.memory: must be string`,
    ]);
    expect(at({ resources: { requests: { cpu: "lots", memory: "1Gi" } } })[0]).toMatch(
      /apps\.orders\.values\.resources\.requests\.cpu: must match pattern/,
    );
    // Enabled with the defaults' empty host and certificate: both named.
    expect(at({ ingress: { enabled: true } }).map((p) => p.split(": must")[0])).toEqual([
      `${file}: apps.orders.values.ingress.host`,
      `${file}: apps.orders.values.ingress.certificateArn`,
    ]);
    expect(
      at({
        ingress: {
          enabled: true,
          host: "orders.example.com",
          certificateArn:
            "arn:aws:acm:eu-west-1:333333333333:certificate/0f0e0d0c-0000-4000-8000-000000000000",
        },
      }),
    ).toEqual([]);
    expect(
      at({ networkPolicy: { ingress: [{ namespace: "prod-api", cidr: "10.0.0.0/8", ports: [80] }] } }),
    ).toEqual([
      `${file}: apps.orders.values.networkPolicy.ingress.0: expected either cidr, or namespace and/or podLabels (not both), with ports`,
    ]);
    expect(at({ runAsUser: 0 })).toEqual([`${file}: apps.orders.values.runAsUser: must be >= 1`]);
    expect(at({})).toEqual([]);
  });

  it("secrets mounted by the CSI driver need objects with a name and files, under /mnt", () => {
    const file = "gitops/envs/prod/values.yaml";
    const at = (values: Values) =>
      valuesProblems(SERVICE_CHART, service(values), file, "apps.webhook.values");
    const github = { objectName: "arn:x", files: { privateKey: "github-private-key" } };
    expect(at({ secretsStore: { enabled: true, objects: { github } } })).toEqual([]);
    expect(at({ secretsStore: { enabled: true } })).toEqual([
      `${file}: apps.webhook.values.secretsStore.objects: must NOT have fewer than 1 properties`,
    ]);
    expect(at({ secretsStore: { enabled: true, objects: { github: { objectName: "arn:x" } } } })).toEqual([
      `${file}: apps.webhook.values.secretsStore.objects.github: missing required field 'files'`,
    ]);
    expect(at({ secretsStore: { enabled: true, mountPath: "/tmp", objects: { github } } })).toEqual([
      `${file}: apps.webhook.values.secretsStore.mountPath: must match pattern "^/mnt/[a-z0-9._-]+(/[a-z0-9._-]+)*$"`,
    ]);
    expect(
      at({ secretsStore: { enabled: true, objects: { github: { ...github, files: { key: "../etc/x" } } } } }),
    ).toEqual([
      `${file}: apps.webhook.values.secretsStore.objects.github.files.key: must match pattern "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"`,
    ]);
  });

  it("an environment file with an unknown app field fails naming it", () => {
    const file = "gitops/envs/dev/values.yaml";
    const env = readYaml(join(ROOT, file)) as { apps: Record<string, Values> };
    const broken = { apps: { ...env.apps, orders: { ...env.apps.orders, namespaces: "dev-orders" } } };
    expect(valuesProblems(PLATFORM_APPS, broken, file)).toEqual([
      `${file}: apps.orders.namespaces: unknown field 'namespaces'`,
    ]);
  });
});

describe("tenants (charts/tenant)", () => {
  it("dev declares two, each a release of the tenant chart with valid values", () => {
    const dev = tenantReleases("dev");
    expect(dev.map((r) => [r.app, r.chart, r.namespace])).toEqual([
      ["acme-tenant", TENANT_CHART, "dev-acme"],
      ["globex-tenant", TENANT_CHART, "dev-globex"],
    ]);
    for (const release of dev) expect(releaseProblems(release)).toEqual([]);
    expect(dev[1]?.values.quota).toEqual({ pods: 10 });
    expect(
      valuesProblems(TENANT_CHART, dev[1]?.values ?? {}, "x.yaml"),
      "the override merges with the chart's defaults",
    ).toEqual([]);
  });

  it("a broken tenant entry fails naming the file and the field where it is written", () => {
    const [acme] = tenantReleases("dev");
    if (!acme) throw new Error("no dev tenant");
    const file = "gitops/envs/dev/values.yaml";
    const at = (values: Values) => releaseProblems({ ...acme, values: mergeValues(acme.values, values) });
    expect(at({ quota: { pods: "many" } })).toEqual([
      `${file}: tenants.acme.values.quota.pods: must be integer`,
    ]);
    expect(at({ quota: { pod: 3 } })).toEqual([
      `${file}: tenants.acme.values.quota.pod: unknown field 'pod'`,
    ]);
    expect(at({ limits: { max: { cpu: "2", memory: "4GB" } } })).toEqual([
      `${file}: tenants.acme.values.limits.max.memory: must match pattern "^[0-9]+(Ki|Mi|Gi|Ti)$"`,
    ]);
    expect(at({ extraNamespaces: ["Api"] })[0]).toMatch(
      /^gitops\/envs\/dev\/values\.yaml: tenants\.acme\.values\.extraNamespaces\.0: must match pattern/,
    );
    expect(at({ team: "acme-devs" })[0]).toMatch(
      /^gitops\/envs\/dev\/values\.yaml: tenants\.acme\.team: must match pattern/,
    );
    expect(at({ sourceRepos: ["https://github.com/example-org/*"] })[0]).toMatch(
      /^gitops\/envs\/dev\/values\.yaml: tenants\.acme\.sourceRepos\.0: must match pattern/,
    );
    expect(releaseProblems({ ...acme, values: { ...acme.values, team: undefined } })).toEqual([
      `${file}: tenants.acme.values: missing required field 'team'`,
    ]);
    expect(at({})).toEqual([]);
  });

  it("are declared in both halves, environments/<env>.ts and the values file, with the same team", () => {
    for (const { config } of environments) {
      expect(tenantPairingProblems(config.name, config.tenants ?? [])).toEqual([]);
    }
    const dev = environments.find((e) => e.config.name === "dev")?.config.tenants ?? [];
    expect(dev.map((t) => t.name)).toEqual(["acme", "globex"]);
    const file = "gitops/envs/dev/values.yaml";
    const doc = readYaml(join(ROOT, file)) as { tenants: Record<string, Values> };
    const onlyAcme = { tenants: { acme: doc.tenants.acme, initech: { team: "example-org/initech" } } };
    expect(tenantPairingProblems("dev", [...dev, { name: "hooli", team: "hooli-devs" }], onlyAcme)).toEqual([
      `${file}: tenants.globex: missing; environments/dev.ts declares tenant 'globex'`,
      `${file}: tenants.hooli: missing; environments/dev.ts declares tenant 'hooli'`,
      `${file}: tenants.initech: not a tenant of environments/dev.ts (add it there, or remove it here)`,
    ]);
    expect(
      tenantPairingProblems("dev", [{ name: "acme", team: "other-org/acme-devs" }], {
        tenants: { acme: doc.tenants.acme },
      }),
    ).toEqual([
      `${file}: tenants.acme.team: 'example-org/acme-devs' differs from environments/dev.ts's 'other-org/acme-devs'`,
    ]);
    expect(
      tenantPairingProblems("dev", [{ name: "acme", team: "acme-devs" }], {
        tenants: { acme: { team: "example-org/acme-devs" } },
      }),
      "a bare slug is in the organisation's org",
    ).toEqual([]);
  });

  it("an app owned by a tenant must be deployed into one of that tenant's namespaces", () => {
    for (const environment of ENVIRONMENTS) expect(tenantAppProblems(environment)).toEqual([]);
    const file = "gitops/envs/dev/values.yaml";
    const env = readYaml(join(ROOT, file)) as {
      apps: Record<string, Values>;
      tenants: Record<string, Values>;
    };
    const app = (tenant: string, namespace: string) => ({
      ...env,
      apps: { ...env.apps, shop: { enabled: true, path: SERVICE_CHART, namespace, tenant } },
    });
    expect(valuesProblems(PLATFORM_APPS, app("acme", "dev-acme"), file)).toEqual([]);
    expect(tenantAppProblems("dev", app("acme", "dev-acme"))).toEqual([]);
    expect(tenantAppProblems("dev", app("acme", "dev-globex"))).toEqual([
      `${file}: apps.shop.namespace: 'dev-globex' is not a namespace of tenant acme (dev-acme)`,
    ]);
    expect(tenantAppProblems("dev", app("initech", "dev-initech"))).toEqual([
      `${file}: apps.shop.tenant: no tenant 'initech' under tenants (expected one of acme, globex)`,
    ]);
    const withApi = app("acme", "dev-acme-api");
    withApi.tenants = {
      ...env.tenants,
      acme: { team: "example-org/acme-devs", values: { extraNamespaces: ["api"] } },
    };
    expect(tenantAppProblems("dev", withApi)).toEqual([]);
  });

  it("an environment file with an unknown tenant field or a bad tenant name fails naming it", () => {
    const file = "gitops/envs/dev/values.yaml";
    const env = readYaml(join(ROOT, file)) as { tenants: Record<string, Values> };
    const broken = { ...env, tenants: { ...env.tenants, acme: { ...env.tenants.acme, quota: { pods: 1 } } } };
    expect(valuesProblems(PLATFORM_APPS, broken, file)).toEqual([
      `${file}: tenants.acme.quota: unknown field 'quota'`,
    ]);
    const badName = { ...env, tenants: { "Acme-Corp": { team: "example-org/acme" } } };
    expect(valuesProblems(PLATFORM_APPS, badName, file)[0]).toMatch(/tenants: must match pattern/);
  });
});

describe("Helm parameters from the cluster secret", () => {
  it("set nested values the way --set reads a dotted name", () => {
    expect(setParameter({ env: { A: "1" } }, "env.QUEUE_URL", "u")).toEqual({
      env: { A: "1", QUEUE_URL: "u" },
    });
    expect(setParameter({}, "environment", "dev")).toEqual({ environment: "dev" });
    expect(() => setParameter({}, ".x", "v")).toThrow(/empty Helm parameter name/);
    expect(placeholder("sluice.dev/environment", "staging")).toBe("staging");
    expect(placeholder("sluice.dev/queue-orders-url", "dev")).toBe("placeholder-queue-orders-url");
  });

  it("merge like Helm: maps key by key, lists and scalars replaced", () => {
    expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, e: 2 })).toEqual({
      a: { b: 1, c: [2] },
      d: 1,
      e: 2,
    });
  });
});

describe("prod services", () => {
  const prod = releases("prod").filter((r) => r.chart === SERVICE_CHART);

  it("have requests, probes, a PodDisruptionBudget and at least two replicas", () => {
    // The change-control service among them: two replicas in prod (gitops/envs/prod/values.yaml).
    expect(prod.map((r) => r.app)).toEqual(expect.arrayContaining(["orders", "webhook"]));
    for (const release of prod) expect(prodServiceProblems(release), release.app).toEqual([]);
  });

  it("are refused with one replica, no budget or an autoscaler that may go to one", () => {
    const base = prod.find((r) => r.app === "orders");
    if (!base) throw new Error("no prod orders service");
    const with_ = (values: Values) =>
      prodServiceProblems({ ...base, values: mergeValues(base.values, values) });
    expect(with_({ autoscaling: { enabled: false }, replicas: 1 })).toEqual([
      "gitops/envs/prod/values.yaml: apps.orders.values.replicas: a prod service needs at least 2 replicas, got 1",
    ]);
    expect(with_({ autoscaling: { enabled: true, minReplicas: 1 } })).toEqual([
      "gitops/envs/prod/values.yaml: apps.orders.values.autoscaling.minReplicas: a prod service needs at least 2 replicas, got 1",
    ]);
    expect(with_({ podDisruptionBudget: { enabled: false } })).toEqual([
      "gitops/envs/prod/values.yaml: apps.orders.values.podDisruptionBudget.enabled: a prod service needs a PodDisruptionBudget",
    ]);
    const noMemory = { ...base, values: setParameter(base.values, "resources.requests.memory", "") };
    expect(prodServiceProblems(noMemory)).toEqual([
      "gitops/envs/prod/values.yaml: apps.orders.values.resources.requests.memory: a prod service needs a memory request",
    ]);
  });

  it("pin their image by digest in every environment", () => {
    for (const environment of ENVIRONMENTS) {
      for (const r of releases(environment).filter((x) => x.chart === SERVICE_CHART)) {
        const image = r.values.image as { repository: string; digest: string };
        expect(`${image.repository}@${image.digest}`, `${r.file}: ${r.app}`).toMatch(
          /^[^@:]+(:\d+)?[^@:]*@sha256:[a-f0-9]{64}$/,
        );
      }
    }
  });
});
