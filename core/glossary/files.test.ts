import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { itWithSharedFixtures } from "../test/shared-fixtures.ts";
import { NameChecker } from "./check.ts";
import { checkFile, UnusableInputError } from "./files.ts";
import { parseFixtureGlossary } from "./test/fixture-glossary.ts";

const checker = () => new NameChecker(parseFixtureGlossary());

// biome-ignore lint/suspicious/noTemplateCurlyInString: literal words around Terraform references, on purpose
const PARTIAL = "prd-${lookup({ a = 1 }, var.k)}-queue-${var.n}";

const terraform = {
  provider: {
    aws: [{ region: "eu-west-1", default_tags: [{ tags: { Environment: "production", "aws:x": "y" } }] }],
  },
  resource: {
    aws_sqs_queue: {
      ok: { name: "dev-orders-queue" },
      fifo: { name: "dev-orders-queue", fifo_queue: true },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform reference, on purpose
      ref: { name: "${aws_sqs_queue.ok.name}" },
      partial: { name: PARTIAL },
    },
    aws_db_instance: {
      main: {
        identifier: "dev-acme-databse",
        final_snapshot_identifier: "dev-acme-db-lst",
        tags: { Name: "dev-acme-db" },
      },
    },
    kubernetes_namespace_v1: { ns: { metadata: [{ name: "dev_orders", labels: { team: "k8s" } }] } },
    helm_release: { r: { name: "orders", namespace: "kube-system" } },
    aws_eks_pod_identity_association: { p: { namespace: "kube-system", service_account: "dev-orders-k8s" } },
  },
};

describe("checkFile", () => {
  it("checks names, labels and tags in Terraform JSON; of a name with references, only its literal words", () => {
    const content = JSON.stringify(terraform, null, 2);
    const { kind, findings } = checkFile({ path: "cdk.tf.json", content }, checker());
    expect(kind).toBe("terraform");
    expect(findings.map((f) => [f.name, f.rule])).toEqual([
      ["dev-orders-queue", "fifo-suffix"],
      [PARTIAL, "deprecated-synonym"],
      ["dev-acme-databse", "unknown-token"],
      ["dev-acme-db-lst", "unknown-token"],
      ["dev_orders", "dns-label"],
      ["k8s", "deprecated-synonym"],
      ["dev-orders-k8s", "deprecated-synonym"],
      ["production", "deprecated-synonym"],
      ["aws:x", "reserved-prefix"],
    ]);
    const databse = findings.find((f) => f.name === "dev-acme-databse");
    expect(databse?.message).toContain("aws_db_instance.main.identifier");
    expect(databse?.line).toBe(content.split("\n").findIndex((l) => l.includes("dev-acme-databse")) + 1);
  });

  it("checks the after-values of a plan", () => {
    const plan = {
      format_version: "1.2",
      resource_changes: [
        {
          address: "aws_s3_bucket.b",
          mode: "managed",
          type: "aws_s3_bucket",
          change: { actions: ["create"], after: { bucket: "prd_state" } },
        },
        {
          address: "aws_s3_bucket.gone",
          mode: "managed",
          type: "aws_s3_bucket",
          change: { actions: ["delete"], after: null },
        },
      ],
    };
    const { kind, findings } = checkFile({ path: "plan.json", content: JSON.stringify(plan) }, checker());
    expect(kind).toBe("plan");
    expect(findings.map((f) => [f.name, f.rule]).sort()).toEqual([
      ["prd_state", "deprecated-synonym"],
      ["prd_state", "invalid-characters"],
      ["prd_state", "underscore"],
    ]);
  });

  itWithSharedFixtures("plans", "reads real plan JSON and reports its names verbatim", () => {
    const path = "../shared/fixtures/plans/hashicorp_terraform-json__testdata__basic__plan.json";
    const { kind, findings } = checkFile({ path, content: readFileSync(path, "utf8") }, checker());
    expect(kind).toBe("plan");
    for (const f of findings) expect(f.file).toBe(path);
  });

  it("checks Kubernetes and Argo CD YAML with line numbers and skips values files", () => {
    const yaml = [
      "apiVersion: v1",
      "kind: Namespace",
      "metadata:",
      "  name: orders",
      "  labels:",
      "    tier: live",
      "---",
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Application",
      "metadata: { name: dev-orders, namespace: argocd }",
      "spec:",
      "  destination: { namespace: Orders }",
      "  source: { helm: { releaseName: dev-orderz } }",
      "---",
      "replicaCount: 2",
      "nameOverride: junk-name",
    ].join("\n");
    const { findings } = checkFile({ path: "gitops/apps.yaml", content: yaml }, checker());
    expect(findings.map((f) => [f.line, f.name, f.rule])).toEqual([
      [6, "live", "deprecated-synonym"],
      [10, "argocd", "unknown-token"],
      [12, "Orders", "dns-label"],
      [13, "dev-orderz", "unknown-token"],
    ]);
  });

  it("checks a .names list, one TARGET NAME per line", () => {
    const content =
      "# names\ns3-bucket dev-state-s3\nalb dev-app-orders-repository-queue-1\ntag-value Name of it\n";
    const { findings } = checkFile({ path: "x.names", content }, checker());
    expect(findings.map((f) => [f.line, f.name, f.rule])).toEqual([
      [3, "dev-app-orders-repository-queue-1", "too-long"],
    ]);
  });

  it("reads JSON after a UTF-8 byte order mark, as plan review does", () => {
    const content = `\ufeff${JSON.stringify(terraform, null, 2)}`;
    const { kind, findings } = checkFile({ path: "cdk.tf.json", content }, checker());
    expect(kind).toBe("terraform");
    expect(findings.length).toBeGreaterThan(0);
  });

  it("names UTF-16 input (PowerShell's `>`) instead of calling it invalid JSON", () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"resource":{}}', "utf16le")]);
    expect(() => checkFile({ path: "plan.json", content: content.toString("utf8") }, checker())).toThrow(
      /^plan\.json: is UTF-16 text .*expected UTF-8/,
    );
  });

  it("throws UnusableInputError with file:line for broken input", () => {
    expect(() => checkFile({ path: "a.json", content: '{\n  "resource": }' }, checker())).toThrow(
      UnusableInputError,
    );
    expect(() =>
      checkFile({ path: "s.json", content: '{\n  "password": hunter2secret\n}' }, checker()),
    ).toThrow(/^s\.json(:2)?: not valid JSON: [^"]*$/);
    expect(() => checkFile({ path: "t.json", content: '{\n "a": 1,\n "b": "x" "y"\n}' }, checker())).toThrow(
      /^t\.json:3: not valid JSON/,
    );
    expect(() => checkFile({ path: "a.json", content: "[1]" }, checker())).toThrow(
      /a\.json: expected a JSON object/,
    );
    expect(() => checkFile({ path: "a.yaml", content: "a: [\n" }, checker())).toThrow(
      /^a\.yaml:\d+: not valid YAML: [^:\n]+$/,
    );
    expect(() => checkFile({ path: "x.names", content: "s3-bucket ok\nbucket dev-x\n" }, checker())).toThrow(
      /^x\.names:2: expected 'TARGET NAME'/,
    );
  });

  it("leaves Helm templates (Go text, not YAML) unrecognized instead of failing to parse them", () => {
    const template = "{{- range .Values.apps }}\n- name: {{ .name }}\n{{- end }}\n";
    expect(checkFile({ path: "templates/apps.yaml", content: template }, checker())).toEqual({
      kind: "unrecognized",
      findings: [],
    });
  });

  it("treats JSON that is neither configuration nor plan as unrecognized", () => {
    expect(
      checkFile({ path: "manifest.json", content: '{"version":"0.21.0","stacks":{}}' }, checker()).kind,
    ).toBe("unrecognized");
  });
});
