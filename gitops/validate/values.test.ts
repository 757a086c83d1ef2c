import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  charts,
  ENVIRONMENTS,
  envFile,
  mergeValues,
  PLATFORM_APPS,
  placeholder,
  ROOT,
  readYaml,
  releases,
  setParameter,
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
      for (const release of apps) {
        expect(valuesProblems(release.chart, release.values, release.file, release.valuesPath)).toEqual([]);
      }
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
