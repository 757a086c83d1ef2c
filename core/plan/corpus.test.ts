import { existsSync, readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { describeWithSharedFixtures, sharedFixturesDir } from "../test/shared-fixtures.ts";
import { parsePlan } from "./parse.ts";
import { renderJson } from "./render/json.ts";
import { renderMarkdown } from "./render/markdown.ts";
import { renderText } from "./render/text.ts";
import { reviewPlan } from "./review.ts";

/** Every real plan in ../shared/fixtures/plans (present in CI; never copied into this repository). */
const DIR = sharedFixturesDir("plans");
const files = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith(".json"))
      .sort()
  : [];

type RawChange = {
  address: string;
  mode?: string;
  change: { actions: string[]; importing?: unknown };
  previous_address?: string;
};

/** A deliberately tiny classifier, written apart from core/plan/actions.ts, to cross-check counts. */
function expectedKind(rc: RawChange): string {
  const a = rc.change.actions.join("+");
  const moved = rc.previous_address !== undefined && rc.previous_address !== rc.address;
  if ((a === "no-op" || a === "update") && rc.change.importing) return "import";
  if (a === "no-op" && moved) return "move";
  const table: Record<string, string> = {
    "no-op": "noop",
    create: "create",
    read: "read",
    update: "update",
    delete: "delete",
    forget: "forget",
    "delete+create": "replace",
    "create+delete": "replace",
  };
  return table[a] ?? "unknown";
}

/**
 * Terraform's "Plan: X to import, Y to add, Z to change, W to destroy." from resource_changes, following
 * renderHuman in terraform's internal/command/jsonformat/plan.go: no-ops that neither move nor import are
 * skipped, as are deleted data sources; every import counts, and a no-op (a pure move or import) counts nothing else.
 */
function terraformSummary(changes: readonly RawChange[]) {
  const byAction: Record<string, number> = {};
  let imports = 0;
  for (const rc of changes) {
    const action = rc.change.actions.join(",");
    const moved = rc.previous_address !== undefined && rc.previous_address !== rc.address;
    if (action === "no-op" && !moved && !rc.change.importing) continue;
    if (action === "delete" && (rc.mode ?? "managed") !== "managed") continue;
    if (rc.change.importing) imports++;
    if (action !== "no-op") byAction[action] = (byAction[action] ?? 0) + 1;
  }
  const n = (action: string) => byAction[action] ?? 0;
  return {
    import: imports,
    add: n("create") + n("delete,create") + n("create,delete") + n("create,forget"),
    change: n("update"),
    destroy: n("delete") + n("delete,create") + n("create,delete"),
  };
}

function load(file: string) {
  const text = readFileSync(new URL(file, DIR), "utf8");
  return { raw: JSON.parse(text) as Record<string, unknown>, review: reviewPlan(parsePlan(text, file)) };
}

describeWithSharedFixtures("plans", "corpus: real plans in ../shared/fixtures/plans", () => {
  it("holds the plans SOURCES.md lists", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)("%s: counts, addresses and drift match the raw plan; every format renders", (file) => {
    const { raw, review } = load(file);
    const changes = (raw.resource_changes as RawChange[] | undefined) ?? [];
    expect(review.changes.map((c) => c.address)).toEqual(changes.map((c) => c.address));
    const counts: Record<string, number> = {};
    for (const c of changes) {
      counts[expectedKind(c)] = (counts[expectedKind(c)] ?? 0) + 1;
      // An import that updates is counted as an update too, as terraform does.
      if (expectedKind(c) === "import" && c.change.actions.join() === "update")
        counts.update = (counts.update ?? 0) + 1;
    }
    for (const [kind, n] of Object.entries(review.counts))
      expect([kind, n]).toEqual([kind, counts[kind] ?? 0]);
    const terraform = terraformSummary(changes);
    expect(review.summary).toEqual(terraform);
    expect([review.counts.import, review.counts.update]).toEqual([terraform.import, terraform.change]);
    const drift = (raw.resource_drift as RawChange[] | undefined) ?? [];
    expect(review.drift.map((d) => d.address)).toEqual(drift.map((d) => d.address));
    // Every finding names a planned change, a drifted resource, a check or the whole plan.
    const known = new Set([
      "",
      ...changes.map((c) => c.address),
      ...drift.map((d) => d.address),
      ...review.checks.map((c) => c.address),
    ]);
    for (const f of review.findings) expect(known.has(f.address), `${f.rule} ${f.address}`).toBe(true);
    expect(review.findings.filter((f) => f.rule === "drift")).toHaveLength(drift.length);
    // Independently of the rules: every managed destroy has a destroy finding, a bad status a plan finding.
    const rulesAt = (address: string) =>
      review.findings.filter((f) => f.address === address).map((f) => f.rule);
    for (const c of changes) {
      if (c.mode !== "data" && c.change.actions.includes("delete")) {
        expect(rulesAt(c.address), c.address).toContainEqual(
          expect.stringMatching(/^(stateful-delete|resource-delete|unknown-action)$/),
        );
      }
    }
    expect(rulesAt("").includes("plan-errored")).toBe(raw.errored === true);
    expect(rulesAt("").includes("plan-incomplete")).toBe(raw.complete === false);
    const md = renderMarkdown(review);
    expect(md.length).toBeLessThan(60_000);
    for (const c of review.changes.filter((c) => c.destructive)) expect(md).toContain(c.address);
    expect(JSON.parse(renderJson(review)).counts).toEqual(review.counts);
    expect(renderText(review)).toContain("Plan digest");
  });

  const findingsOf = (file: string) => load(file).review.findings.map((f) => [f.rule, f.severity, f.address]);

  it("hand-checked: a delete because the config was removed", () => {
    const { review } = load("ovsds_tf-plan-format__tests__data__plans__delete__terraform.tfplan.json");
    expect(review.changes[0]).toMatchObject({
      kind: "delete",
      actionReason: "delete_because_no_resource_config",
    });
    expect(findingsOf("ovsds_tf-plan-format__tests__data__plans__delete__terraform.tfplan.json")).toEqual([
      ["resource-delete", "medium", "terraform_data.foo-bar"],
    ]);
  });

  it("hand-checked: a destroy-then-create replace next to a no-op", () => {
    const { review } = load("hashicorp_terraform-json__testdata__config_resource_depends_on__plan.json");
    expect(review.changes.map((c) => [c.address, c.kind, c.replaceOrder])).toEqual([
      ["null_resource.bar", "replace", "delete-before-create"],
      ["null_resource.foo", "noop", undefined],
    ]);
  });

  it("hand-checked: moves, from a moved block and from count to an index", () => {
    expect(
      load("hashicorp_terraform-json__testdata__moved_block__plan.json").review.changes.map((c) => [
        c.kind,
        c.previousAddress,
      ]),
    ).toEqual([["move", "random_id.test"]]);
    expect(
      load(
        "hashicorp_terraform__internal__command__testdata__show-json__multi-resource-update__output.json",
      ).review.changes.map((c) => [c.address, c.kind]),
    ).toEqual([
      ["test_instance.test[0]", "move"],
      ["test_instance.test[1]", "create"],
    ]);
  });

  it("hand-checked: failed checks of a refresh-only plan", () => {
    expect(
      findingsOf(
        "hashicorp_terraform__internal__command__testdata__show-json__conditions__output-refresh-only.json",
      ),
    ).toEqual([
      ["check-failed", "high", "test_instance.bar"],
      ["check-failed", "high", "test_instance.foo"],
    ]);
  });

  it("hand-checked: drift reported apart from the planned update", () => {
    const { review } = load(
      "hashicorp_terraform__internal__command__testdata__show-json__drift__output.json",
    );
    expect(review.drift.map((d) => d.address)).toEqual(["test_instance.should_refresh"]);
    expect(review.counts.update).toBe(2);
    expect(
      findingsOf("hashicorp_terraform__internal__command__testdata__show-json__drift__output.json"),
    ).toEqual([["drift", "medium", "test_instance.should_refresh"]]);
  });

  it("hand-checked: new IAM roles in an AWS plan, and the sensitive ami masked", () => {
    expect(findingsOf("terraform-compliance_cli__tests__functional__test_issue-456__plan.out.json")).toEqual([
      ["iam-change", "medium", 'aws_iam_role.test_iam_role["repository_1"]'],
      ["iam-change", "medium", 'aws_iam_role.test_iam_role["repository_2"]'],
    ]);
    const { review } = load(
      "hashicorp_terraform__internal__command__testdata__show-json__sensitive-values__output.json",
    );
    expect(renderMarkdown(review)).toContain("+ ami = (sensitive)");
    expect(review.outputs[0]).toMatchObject({ name: "test", sensitive: true });
  });
});
