import { isMap, isScalar, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";
import type { NameUse } from "./check.ts";
import type { NameTarget } from "./targets.ts";

export class YamlInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: not valid YAML: ${detail}`);
    this.name = "YamlInputError";
  }
}

/**
 * Names in Kubernetes manifests (and Argo CD Applications) of a YAML file: metadata.name,
 * metadata.namespace, label values, an Application's destination namespace and Helm release name.
 * Documents without `apiVersion` and `kind` (Helm values files) carry no names we own and are skipped.
 */
export function namesInYaml(text: string, file: string): NameUse[] {
  const lineCounter = new LineCounter();
  // Plain errors: the pretty ones add the position and quote the input (which may hold secrets) after the reason.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const out: NameUse[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      throw new YamlInputError(file, lineCounter.linePos(error.pos[0]).line, error.message);
    }
    const root = doc.contents;
    if (!isMap(root) || !root.has("apiVersion") || !root.has("kind")) continue;
    const kind = String(root.get("kind"));
    const use = (node: unknown, address: string, target: NameTarget) => {
      if (!isScalar(node) || typeof node.value !== "string" || node.value.includes("{{")) return;
      // A parsed node always has its range.
      out.push({
        file,
        line: lineCounter.linePos(node.range?.[0] ?? 0).line,
        address,
        name: node.value,
        target,
      });
    };
    // A map is returned as a node either way (keepScalar concerns scalars only).
    const metadata = root.get("metadata");
    if (isMap(metadata)) {
      use(
        metadata.get("name", true),
        `${kind}.metadata.name`,
        kind === "Namespace" ? "k8s-namespace" : "k8s-name",
      );
      use(metadata.get("namespace", true), `${kind}.metadata.namespace`, "k8s-namespace");
      const labels = metadata.get("labels");
      if (isMap(labels)) {
        for (const pair of labels.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "?";
          use(pair.value, `${kind}.metadata.labels.${key}`, "k8s-label-value");
        }
      }
    }
    if (kind === "Application") {
      use(
        root.getIn(["spec", "destination", "namespace"], true),
        "Application.spec.destination.namespace",
        "k8s-namespace",
      );
      use(
        root.getIn(["spec", "source", "helm", "releaseName"], true),
        "Application.spec.source.helm.releaseName",
        "helm-release",
      );
      const sources = root.getIn(["spec", "sources"], true) as YamlNode | undefined;
      if (sources && "items" in sources && Array.isArray(sources.items)) {
        for (const source of sources.items) {
          if (isMap(source)) {
            use(
              source.getIn(["helm", "releaseName"], true),
              "Application.spec.sources.helm.releaseName",
              "helm-release",
            );
          }
        }
      }
    }
    if (kind === "HelmRelease") {
      use(root.getIn(["spec", "releaseName"], true), "HelmRelease.spec.releaseName", "helm-release");
    }
  }
  return out;
}
