import { describe, expect, it } from "vitest";
import { namesInYaml, YamlInputError } from "./yaml-names.ts";

const names = (yaml: string[]) => namesInYaml(yaml.join("\n"), "f.yaml");

describe("namesInYaml", () => {
  it("reads metadata names, namespaces and label values with their lines, in every document", () => {
    expect(
      names([
        "apiVersion: v1",
        "kind: Namespace",
        "metadata:",
        "  name: dev",
        "  labels: { team: orders, n: 1, t: '{{ .x }}' }",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: dev-app",
        "  namespace: dev",
      ]),
    ).toEqual([
      { file: "f.yaml", line: 4, address: "Namespace.metadata.name", name: "dev", target: "k8s-namespace" },
      {
        file: "f.yaml",
        line: 5,
        address: "Namespace.metadata.labels.team",
        name: "orders",
        target: "k8s-label-value",
      },
      { file: "f.yaml", line: 10, address: "Deployment.metadata.name", name: "dev-app", target: "k8s-name" },
      {
        file: "f.yaml",
        line: 11,
        address: "Deployment.metadata.namespace",
        name: "dev",
        target: "k8s-namespace",
      },
    ]);
  });

  it("skips documents without apiVersion and kind, and metadata that is not a map", () => {
    expect(names(["kind: Secret", "metadata: { name: x }"])).toEqual([]);
    expect(names(["apiVersion: v1", "metadata: { name: x }"])).toEqual([]);
    expect(names(["- apiVersion: v1", "  kind: Secret"])).toEqual([]);
    expect(names(["apiVersion: v1", "kind: Secret", "metadata: [x]"])).toEqual([]);
    expect(names(["apiVersion: v1", "kind: Secret", "metadata: { labels: [a] }"])).toEqual([]);
  });

  it("names a label with a key that is not a scalar '?'", () => {
    expect(
      names(["apiVersion: v1", "kind: Secret", "metadata:", "  labels:", "    ? [a]", "    : b"]),
    ).toEqual([
      { file: "f.yaml", line: 6, address: "Secret.metadata.labels.?", name: "b", target: "k8s-label-value" },
    ]);
  });

  it("reads an Argo CD Application's destination namespace and Helm release names", () => {
    const app = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "spec:",
      "  destination: { namespace: dev }",
      "  source: { helm: { releaseName: dev-a } }",
      "  sources:",
      "    - helm: { releaseName: dev-b }",
      "    - chart",
      "    - repoURL: x",
    ];
    expect(names(app).map((u) => [u.line, u.address, u.name, u.target])).toEqual([
      [4, "Application.spec.destination.namespace", "dev", "k8s-namespace"],
      [5, "Application.spec.source.helm.releaseName", "dev-a", "helm-release"],
      [7, "Application.spec.sources.helm.releaseName", "dev-b", "helm-release"],
    ]);
    expect(names(["apiVersion: v1", "kind: Application", "spec: { sources: x }"])).toEqual([]);
    // Only an Application has these fields.
    expect(names(["apiVersion: v1", "kind: Other", ...app.slice(2)])).toEqual([]);
  });

  it("reads a Flux HelmRelease's release name", () => {
    const release = [
      "apiVersion: helm.toolkit.fluxcd.io/v2",
      "kind: HelmRelease",
      "spec: { releaseName: dev-r }",
    ];
    expect(names(release)).toEqual([
      {
        file: "f.yaml",
        line: 3,
        address: "HelmRelease.spec.releaseName",
        name: "dev-r",
        target: "helm-release",
      },
    ]);
    expect(names(["apiVersion: v1", "kind: Application", "spec: { releaseName: dev-r }"])).toEqual([]);
  });

  it("throws YamlInputError with the line and only the first line of the reason", () => {
    const error = (() => {
      try {
        namesInYaml("a: b\na: c\n", "f.yaml");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(YamlInputError);
    expect(error).toMatchObject({
      name: "YamlInputError",
      file: "f.yaml",
      line: 2,
      message: "f.yaml:2: not valid YAML: Map keys must be unique",
    });
    expect(() => namesInYaml(`a: 1\n${"\n".repeat(12)}a: 2\n`, "h.yaml")).toThrow(
      /^h\.yaml:14: not valid YAML: Map keys must be unique$/,
    );
    expect(() => namesInYaml("pw: hunter2secret\npw: hunter2secret\n", "s.yaml")).toThrow(
      /^s\.yaml:2: not valid YAML: Map keys must be unique$/,
    );
    expect(() => namesInYaml("{ a: b } x", "i.yaml")).toThrow(
      /^i\.yaml:1: not valid YAML: Unexpected scalar at node end$/,
    );
    expect(() => namesInYaml("ok: 1\n---\nkind: x\n\t- y\n", "g.yaml")).toThrow(
      "g.yaml:4: not valid YAML: Tabs are not allowed as indentation",
    );
  });
});
