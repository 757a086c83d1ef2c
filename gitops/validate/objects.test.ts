import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namesInYaml } from "../../core/glossary/yaml-names.ts";
import { checkerFor, repositoryGlossary } from "../../modules/naming/repository-glossary.ts";
import { ROOT, rel } from "./charts.ts";
import {
  images,
  isPinnedImage,
  kubeObjects,
  modelModule,
  objectProblems,
  productionProblems,
  yamlFiles,
} from "./objects.ts";
import { renderDifferences } from "./render-check.ts";

const RENDERED = join(ROOT, "gitops/validate/test/rendered");
const files = yamlFiles();
const objects = kubeObjects(files);

describe("Kubernetes and Argo CD objects written as YAML in the repository", () => {
  it("include the rendered service and ApplicationSet fixtures", () => {
    const kinds = new Set(objects.map((o) => `${o.object.apiVersion} ${o.object.kind}`));
    for (const kind of [
      "apps/v1 Deployment",
      "v1 Service",
      "v1 ServiceAccount",
      "autoscaling/v2 HorizontalPodAutoscaler",
      "policy/v1 PodDisruptionBudget",
      "networking.k8s.io/v1 NetworkPolicy",
      "argoproj.io/v1alpha1 ApplicationSet",
      "argoproj.io/v1alpha1 AppProject",
      "v1 Namespace",
      "v1 ResourceQuota",
      "v1 LimitRange",
      "secrets-store.csi.x-k8s.io/v1 SecretProviderClass",
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it("validate against kubernetes-models and @kubernetes-models/argo-cd", async () => {
    const problems = (await Promise.all(objects.map(objectProblems))).flat();
    expect(problems).toEqual([]);
  });

  it("fail validation naming the file, document and field", async () => {
    const deployment = objects.find((o) => o.object.kind === "Deployment");
    if (!deployment) throw new Error("no Deployment");
    const broken = structuredClone(deployment);
    const spec = broken.object.spec as { template: { spec: { containers: { ports: unknown[] }[] } } };
    spec.template.spec.containers[0]?.ports.push({ containerPort: "http" });
    expect(await objectProblems(broken)).toEqual([
      `${deployment.file} (document ${deployment.index + 1}, Deployment): spec.template.spec.containers.0.ports.1.containerPort: must be integer`,
    ]);
    const appSet = objects.find((o) => o.object.kind === "ApplicationSet");
    if (!appSet) throw new Error("no ApplicationSet");
    const noTemplate = structuredClone(appSet);
    delete (noTemplate.object.spec as Record<string, unknown>).template;
    expect((await objectProblems(noTemplate))[0]).toMatch(
      /ApplicationSet\): spec: must have required property '?template'?/,
    );
    const project = objects.find((o) => o.object.kind === "AppProject");
    if (!project) throw new Error("no AppProject");
    const badProject = structuredClone(project);
    (badProject.object.spec as { destinations: unknown }).destinations = "dev-acme";
    expect((await objectProblems(badProject))[0]).toMatch(
      /^gitops\/validate\/test\/rendered\/dev-acme-tenant\.yaml \(document \d+, AppProject\): spec\.destinations: must be array/,
    );
    const quota = objects.find((o) => o.object.kind === "ResourceQuota");
    if (!quota) throw new Error("no ResourceQuota");
    const badQuota = structuredClone(quota);
    (badQuota.object.spec as { hard: unknown }).hard = ["pods"];
    expect((await objectProblems(badQuota))[0]).toMatch(/ResourceQuota\): spec\.hard: must be object/);
    expect(
      await objectProblems({
        file: "x.yaml",
        index: 0,
        object: { apiVersion: "example.com/v1", kind: "Widget" },
      }),
    ).toEqual([
      expect.stringMatching(/^x\.yaml \(document 1, Widget\): no model for example\.com\/v1 Widget/),
    ]);
    expect(modelModule("v1", "Service")).toBe("kubernetes-models/v1/Service");
    expect(() => modelModule("v1", "../x")).toThrow(/not a Kubernetes kind/);
  });

  it("check a SecretProviderClass (no kubernetes-models type) against the CRD and the AWS provider's objects", async () => {
    const found = objects.find((o) => o.object.kind === "SecretProviderClass");
    if (!found) throw new Error("no SecretProviderClass");
    expect(await objectProblems(found)).toEqual([]);
    const where = `${found.file} (document ${found.index + 1}, SecretProviderClass)`;
    type Spc = { spec: Record<string, unknown> & { parameters: Record<string, string> } };
    const broken = (edit: (o: Spc) => void) => {
      const copy = structuredClone(found);
      edit(copy.object as unknown as Spc);
      return objectProblems(copy);
    };
    expect(await broken((o) => (o.spec.provder = "aws"))).toEqual([
      `${where}: spec: must NOT have additional properties 'provder'`,
    ]);
    expect(await broken((o) => (o.spec.secretObjects = [{ secretName: "x", type: "Opaque" }]))).toEqual([
      `${where}: spec.secretObjects: secrets are not synced into Kubernetes Secrets (docs/adr/0003-workload-secrets.md); mount them as files`,
    ]);
    expect(await broken((o) => (o.spec.parameters.usePodIdentity = "false"))).toEqual([
      `${where}: spec.parameters.usePodIdentity: must be "true" (the pod's own Pod Identity role reads its secrets)`,
    ]);
    expect(
      await broken(
        (o) => (o.spec.parameters.objects = JSON.stringify([{ objectName: "a", jmesPath: [{ path: "x" }] }])),
      ),
    ).toEqual([`${where}: spec.parameters.objects.0.jmesPath.0: must have required property 'objectAlias'`]);
    expect(
      await broken(
        (o) =>
          (o.spec.parameters.objects =
            "- objectName: a\n  objectAlias: f\n- objectName: b\n  objectAlias: f\n"),
      ),
    ).toEqual([`${where}: spec.parameters.objects: file 'f' is written twice`]);
  });

  it("pin every container image by digest", () => {
    const all = objects.flatMap((o) => images(o.object).map((i) => ({ ...i, file: o.file })));
    expect(all.length).toBeGreaterThan(0);
    for (const { file, field, image } of all)
      expect(isPinnedImage(image), `${file}: ${field}: ${image}`).toBe(true);
    expect(isPinnedImage(`nginx@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(isPinnedImage("nginx:1.27")).toBe(false);
    expect(isPinnedImage(`nginx:1.27@sha256:${"a".repeat(63)}`)).toBe(false);
    expect(isPinnedImage("ghcr.io/acme/app:latest")).toBe(false);
    expect(isPinnedImage(`nginx:1.27@sha256:${"a".repeat(64)}`)).toBe(false);
    expect(isPinnedImage(`registry.local:5000/team/app@sha256:${"a".repeat(64)}`)).toBe(true);
  });

  it("give prod workloads CPU and memory requests and readiness and liveness probes", () => {
    const prod = objects.filter((o) => o.object.kind === "Deployment" && o.file.includes("prod"));
    expect(prod.length).toBeGreaterThan(0);
    for (const o of prod) expect(productionProblems(o.object), o.file).toEqual([]);
    const bare = { kind: "Deployment", spec: { template: { spec: { containers: [{ name: "app" }] } } } };
    expect(productionProblems(bare)).toEqual([
      "containers.0 (app): no CPU request",
      "containers.0 (app): no memory request",
      "containers.0 (app): no readiness probe",
      "containers.0 (app): no liveness probe",
    ]);
  });

  it("are named with glossary terms", () => {
    const checker = checkerFor(repositoryGlossary());
    const uses = files.flatMap((f) => namesInYaml(readFileSync(f, "utf8"), rel(f)));
    expect(uses.map((u) => u.name)).toEqual(
      expect.arrayContaining(["prod-orders", "prod-platform", "prod-argocd"]),
    );
    expect(uses.flatMap((u) => checker.check(u))).toEqual([]);
    const bad = namesInYaml(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: production-orders\n",
      "x.yaml",
    );
    expect(bad.flatMap((u) => checker.check(u)).length).toBeGreaterThan(0);
  });
});

describe("render-check (run by gitops.yml on helm template's output)", () => {
  const fixture = readFileSync(join(RENDERED, "prod-orders.yaml"), "utf8");

  it("accepts the same objects in another order, quoting and comments", () => {
    const docs = fixture
      .split(/^---$/m)
      .reverse()
      .join("\n---\n")
      .replace(/"prod-orders"/g, "prod-orders");
    expect(renderDifferences(`# Source: x\n${docs}`, fixture)).toEqual([]);
  });

  it("names objects that differ, are missing or are extra", () => {
    const changed = fixture.replace("maxUnavailable: 1", "maxUnavailable: 2");
    expect(renderDifferences(changed, fixture)[0]).toMatch(
      /^PodDisruptionBudget\/prod-orders\/prod-orders: differs/,
    );
    const extra = `${fixture}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: prod-orders }\n`;
    expect(renderDifferences(extra, fixture)).toEqual([
      "ConfigMap/prod-orders/x: rendered but not in the fixture",
    ]);
    expect(renderDifferences(extra.replace(/^[\s\S]*?---\n/, ""), extra)).toEqual([
      "ServiceAccount/prod-orders/prod-orders: in the fixture but not rendered",
    ]);
  });
});
