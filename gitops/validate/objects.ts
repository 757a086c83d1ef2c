import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT, rel } from "./charts.ts";
import { secretProviderClassProblems } from "./secret-provider-class.ts";

/** A Kubernetes object found in a YAML file of the repository. */
export interface KubeObject {
  file: string;
  /** 0-based document index in the file. */
  index: number;
  object: Record<string, unknown> & { apiVersion: string; kind: string };
}

const SKIP = new Set(["node_modules", ".git", "cdktf.out", "templates", ".github"]);

/** YAML files of the repository, Helm templates (Go text, not YAML) and tooling folders left out. */
export function yamlFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (SKIP.has(entry)) return [];
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry) ? [path] : [];
  });
}

/** Documents with a string apiVersion and kind, from every given file. */
export function kubeObjects(files: string[]): KubeObject[] {
  return files.flatMap((path) =>
    parseAllDocuments(readFileSync(path, "utf8")).flatMap((doc, index) => {
      const object = doc.toJS() as unknown;
      if (typeof object !== "object" || object === null) return [];
      const { apiVersion, kind } = object as Record<string, unknown>;
      if (typeof apiVersion !== "string" || typeof kind !== "string") return [];
      return [{ file: rel(path), index, object: object as KubeObject["object"] }];
    }),
  );
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The kubernetes-models (or @kubernetes-models/argo-cd) module path of an apiVersion and kind. */
export function modelModule(apiVersion: string, kind: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) throw new Error(`kind '${kind}' is not a Kubernetes kind`);
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (!version || !/^v\d+((alpha|beta)\d+)?$/.test(version))
    throw new Error(`bad apiVersion '${apiVersion}'`);
  if (group === "argoproj.io") return `@kubernetes-models/argo-cd/argoproj.io/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** Problems validating one object against its model, each naming the file, document and field. */
export async function objectProblems({ file, index, object }: KubeObject): Promise<string[]> {
  const where = `${file} (document ${index + 1}, ${object.kind})`;
  // A CRD kubernetes-models has no type for: checked against its own schema (secret-provider-class.ts).
  if (object.apiVersion === "secrets-store.csi.x-k8s.io/v1" && object.kind === "SecretProviderClass") {
    return secretProviderClassProblems(object).map((p) => `${where}: ${p}`);
  }
  let Class: ModelClass | undefined;
  try {
    const module = (await import(modelModule(object.apiVersion, object.kind))) as Record<string, ModelClass>;
    Class = module[object.kind];
  } catch (error) {
    return [`${where}: no model for ${object.apiVersion} ${object.kind}: ${(error as Error).message}`];
  }
  if (!Class) return [`${where}: no model for ${object.apiVersion} ${object.kind}`];
  try {
    new Class(object).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) return [`${where}: ${(error as Error).message}`];
    return errors.map(
      (e) => `${where}: ${e.instancePath.slice(1).replace(/\//g, ".") || "(root)"}: ${e.message}`,
    );
  }
}

/** `repository@sha256:<64 hex>`, nothing mutable. */
export const isPinnedImage = (image: string) =>
  /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:[0-9]+(?=\/))?(\/[a-z0-9]+([._-][a-z0-9]+)*)*@sha256:[a-f0-9]{64}$/.test(
    image,
  );

interface Container {
  name?: string;
  image?: string;
  resources?: { requests?: { cpu?: unknown; memory?: unknown } };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
}

/** The pod spec of a workload object (Deployment, StatefulSet, DaemonSet, Job, Pod), if it has one. */
function podSpec(
  object: Record<string, unknown>,
): { containers?: Container[]; initContainers?: Container[] } | undefined {
  if (object.kind === "Pod") return object.spec as never;
  const spec = object.spec as {
    template?: { spec?: unknown };
    jobTemplate?: { spec?: { template?: { spec?: unknown } } };
  };
  return (spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec) as never;
}

/** Every container image reference of an object, with where it is. */
export function images(object: Record<string, unknown>): { field: string; image: string }[] {
  const pod = podSpec(object);
  if (!pod) return [];
  return (["initContainers", "containers"] as const).flatMap((list) =>
    (pod[list] ?? []).map((c, i) => ({ field: `${list}.${i}.image`, image: String(c.image) })),
  );
}

/** What a production workload lacks: CPU and memory requests, readiness and liveness probes. */
export function productionProblems(object: Record<string, unknown>): string[] {
  const pod = podSpec(object);
  if (!pod) return [];
  return (pod.containers ?? []).flatMap((c, i) => {
    const name = `containers.${i} (${c.name ?? "?"})`;
    const out: string[] = [];
    if (c.resources?.requests?.cpu === undefined) out.push(`${name}: no CPU request`);
    if (c.resources?.requests?.memory === undefined) out.push(`${name}: no memory request`);
    if (!c.readinessProbe) out.push(`${name}: no readiness probe`);
    if (!c.livenessProbe) out.push(`${name}: no liveness probe`);
    return out;
  });
}
