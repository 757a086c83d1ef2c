import { Ajv2020 } from "ajv/dist/2020.js";
import { parse as parseYaml } from "yaml";

/**
 * kubernetes-models has no type for the Secrets Store CSI driver's SecretProviderClass (a CRD), so it is
 * checked here: the object against the CRD's v1 structure (secrets-store.csi.x-k8s.io_secretproviderclasses.yaml
 * of kubernetes-sigs/secrets-store-csi-driver, written out below), and for `provider: aws` the
 * `objects` parameter against what the AWS provider reads (aws/secrets-store-csi-driver-provider-aws,
 * "SecretProviderClass options"). Two of our rules on top: no `secretObjects` (secrets are never synced
 * into Kubernetes Secrets, docs/adr/0003-workload-secrets.md) and `usePodIdentity: "true"`.
 */
const NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

const classSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "secrets-store.csi.x-k8s.io/v1" },
    kind: { const: "SecretProviderClass" },
    metadata: {
      type: "object",
      required: ["name", "namespace"],
      additionalProperties: false,
      properties: {
        name: { type: "string", pattern: NAME, maxLength: 253 },
        namespace: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
        labels: { type: "object", additionalProperties: { type: "string", maxLength: 63 } },
        annotations: { type: "object", additionalProperties: { type: "string" } },
      },
    },
    spec: {
      type: "object",
      required: ["provider", "parameters"],
      additionalProperties: false,
      properties: {
        provider: { type: "string", minLength: 1 },
        parameters: { type: "object", additionalProperties: { type: "string" } },
        secretObjects: { type: "array" },
      },
    },
  },
};

const awsObjectsSchema = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    required: ["objectName"],
    additionalProperties: false,
    properties: {
      objectName: { type: "string", minLength: 1 },
      objectType: { enum: ["secretsmanager", "ssmparameter"] },
      objectAlias: { type: "string", pattern: "^[^/]+$" },
      objectVersion: { type: "string" },
      objectVersionLabel: { type: "string" },
      failOnUnresolve: { type: "boolean" },
      jmesPath: {
        type: "array",
        items: {
          type: "object",
          required: ["path", "objectAlias"],
          additionalProperties: false,
          properties: {
            path: { type: "string", minLength: 1 },
            objectAlias: { type: "string", pattern: "^[^/]+$" },
          },
        },
      },
    },
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateClass = ajv.compile(classSchema);
const validateAwsObjects = ajv.compile(awsObjectsSchema);

type Errors = typeof validateClass.errors;

function describe(prefix: string, errors: Errors): string[] {
  return (errors ?? []).map((e) => {
    const field = [prefix, ...e.instancePath.split("/").slice(1)].filter(Boolean).join(".") || "(root)";
    const extra =
      e.keyword === "additionalProperties"
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : "";
    return `${field}: ${e.message ?? e.keyword}${extra}`;
  });
}

/** Problems of one SecretProviderClass object, each as `field: what is wrong`; empty when valid. */
export function secretProviderClassProblems(object: Record<string, unknown>): string[] {
  if (!validateClass(object)) return describe("", validateClass.errors);
  const spec = object.spec as {
    provider: string;
    parameters: Record<string, string>;
    secretObjects?: unknown;
  };
  const out: string[] = [];
  if (spec.secretObjects !== undefined) {
    out.push(
      "spec.secretObjects: secrets are not synced into Kubernetes Secrets (docs/adr/0003-workload-secrets.md); mount them as files",
    );
  }
  if (spec.provider !== "aws") return out;
  if (spec.parameters.usePodIdentity !== "true") {
    out.push(
      'spec.parameters.usePodIdentity: must be "true" (the pod\'s own Pod Identity role reads its secrets)',
    );
  }
  const text = spec.parameters.objects;
  if (text === undefined) return [...out, "spec.parameters.objects: missing (the secrets to mount)"];
  let objects: unknown;
  try {
    objects = parseYaml(text);
  } catch (error) {
    return [...out, `spec.parameters.objects: not YAML or JSON: ${(error as Error).message.split("\n")[0]}`];
  }
  if (!validateAwsObjects(objects))
    return [...out, ...describe("spec.parameters.objects", validateAwsObjects.errors)];
  const files = (
    objects as { objectName: string; objectAlias?: string; jmesPath?: { objectAlias: string }[] }[]
  ).flatMap((o) => [o.objectAlias ?? o.objectName, ...(o.jmesPath ?? []).map((j) => j.objectAlias)]);
  const twice = files.filter((f, i) => files.indexOf(f) !== i);
  for (const f of new Set(twice)) out.push(`spec.parameters.objects: file '${f}' is written twice`);
  return out;
}
