import { describe, expect, it } from "vitest";
import { planDigest } from "../digest.ts";
import { planFacts } from "../facts.ts";
import { parsePlan } from "../parse.ts";
import { reviewPlan } from "../review.ts";
import { generatePlan } from "../test/generate-plan.ts";
import { type ChangeSpec, planText } from "../test/plans.ts";
import { JSON_SCHEMA_VERSION, renderJson, renderJsonChunks } from "./json.ts";
import { code, renderMarkdown } from "./markdown.ts";
import { renderText } from "./text.ts";

const review = (text: string) => reviewPlan(parsePlan(text));

const mixed = planText([
  {
    type: "aws_db_instance",
    name: "main",
    actions: ["delete"],
    before: { id: "db-1" },
    extra: { action_reason: "delete_because_no_resource_config" },
  },
  {
    type: "aws_instance",
    name: "web",
    actions: ["update"],
    before: { instance_type: "t3.micro", password: "a" },
    after: { instance_type: "t3.large", password: "b" },
    beforeSensitive: { password: true },
    afterSensitive: { password: true },
    afterUnknown: { private_ip: true },
  },
  {
    address: 'module.app["a.b"].aws_s3_bucket.logs',
    type: "aws_s3_bucket",
    name: "logs",
    actions: ["create"],
    after: { bucket: "logs", big: 1 },
  },
]).replace('"big":1', '"big":123456789012345678901');

describe("renderMarkdown", () => {
  it("shows counts, destructive changes first, diffs with masking and unknowns, per module", () => {
    const md = renderMarkdown(review(mixed));
    expect(md).toContain("| create | update | replace | delete | import | move | read | forget | no-op |");
    expect(md).toContain("| 1 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |");
    expect(md.indexOf("Destructive changes")).toBeLessThan(md.indexOf("Changes by module"));
    expect(md).toContain("- `aws_db_instance.main`: **destroy** (delete_because_no_resource_config)");
    expect(md).toContain('~ instance_type = "t3.micro" -> "t3.large"');
    expect(md).toContain("~ password = (sensitive) -> (sensitive)");
    expect(md).toContain("+ private_ip = (known after apply)");
    expect(md).toContain("+ big = 123456789012345678901");
    expect(md).toContain('<details><summary>module.app["a.b"] (1 change)</summary>');
    expect(md).toMatch(/Plan digest `sha512-256:[0-9a-f]{64}`/);
  });

  it("fences code spans around backticks, escapes table pipes and HTML in summaries", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x")).toBe("`` `x ``");
    const address = 'module.m["<b>|`x`"].aws_db_instance.db';
    const md = renderMarkdown(
      review(
        planText([
          { address, type: "aws_db_instance", name: "db", actions: ["delete"], before: { id: "x" } },
          {
            address: address.replace("aws_db_instance.db", "aws_instance.vm"),
            name: "vm",
            actions: ["update"],
            before: { a: 1 },
            after: { a: 2 },
          },
        ]),
      ),
    );
    expect(md).toContain(
      '| 🛑 critical | `stateful-delete` | ``module.m["<b>\\|`x`"].aws_db_instance.db`` |',
    );
    expect(md).toContain('<summary>module.m["&lt;b&gt;|`x`"] (1 change)</summary>');
  });

  it("renders a 10,000-change plan under 60,000 characters: critical and high findings first, one item a line", () => {
    const r = review(JSON.stringify(generatePlan({ changes: 10_000 })));
    const md = renderMarkdown(r);
    expect(md.length).toBeLessThan(60_000);
    expect(Math.max(...md.split("\n").map((l) => l.length))).toBeLessThan(1_000);
    const destructive = r.changes.filter((c) => c.destructive);
    expect(destructive.length).toBeGreaterThan(100);
    const lines = md.split("\n");
    const firstList = lines.findIndex((l) => l.startsWith("  - "));
    const urgent = r.findings.filter((f) => f.severity === "critical" || f.severity === "high");
    expect(urgent.length).toBeGreaterThan(10);
    for (const f of urgent) {
      const at = lines.findIndex((l) => l.includes(`${code(f.rule)} ${code(f.address)}: `));
      expect(at, f.address).toBeGreaterThan(0);
      expect(at, f.address).toBeLessThan(firstList);
    }
    for (const c of destructive) expect(lines, c.address).toContain(`  - ${code(c.address)}`);
    expect(md).toContain(`#### Destructive changes (${destructive.length})`);
    expect(md).toContain(`#### Findings (${r.findings.length}:`);
    // Every change with a critical finding keeps its diff, although other diffs are dropped.
    const critical = new Set(r.findings.filter((f) => f.severity === "critical").map((f) => f.address));
    for (const address of critical) expect(md).toContain(`**${code(address)}**: `);
    expect(md).toMatch(
      /Cut to fit a pull-request comment: .*the attribute diffs of \d+ of \d+ other changes/,
    );
    expect(md).toMatch(
      /Shown in full above: the counts, every critical and high finding, a diff of every critical change\./,
    );
  });

  it("keeps a diff of every critical change as long as one line each fits, then says how many it left out", () => {
    const r = review(
      planText(
        Array.from({ length: 60 }, (_, i) => ({
          type: "aws_db_instance",
          name: `db${i}`,
          actions: ["delete"],
          before: { id: `db-${i}`, engine: "postgres", storage: 100 + i },
        })),
      ),
    );
    const roomy = renderMarkdown(r, { maxChars: 16_000 });
    expect(roomy.length).toBeLessThanOrEqual(16_000);
    for (let i = 0; i < 60; i++) expect(roomy).toContain(`**${code(`aws_db_instance.db${i}`)}**: destroy`);
    expect(roomy).toMatch(/the diffs of critical changes to [12] line\(s\) each/);
    const tight = renderMarkdown(r, { maxChars: 9_000 });
    expect(tight.length).toBeLessThanOrEqual(9_000);
    expect(tight).toMatch(/the diffs of \d+ of 60 critical changes\./);
    expect(tight).not.toContain("other changes");
    expect(tight).not.toContain("a diff of every critical change");
  });

  it("never calls a cut list complete", () => {
    const r = review(
      planText([
        ...Array.from({ length: 20 }, (_, i) => ({
          type: "aws_db_instance",
          name: `db${i}`,
          actions: ["delete"],
          before: { id: `db-${i}`, engine: "postgres" },
        })),
        ...Array.from({ length: 3_000 }, (_, i) => ({
          type: "aws_instance",
          name: `vm_with_a_rather_long_name_${i}`,
          actions: ["delete"],
          before: { id: `i-${i}` },
        })),
      ]),
    );
    const md = renderMarkdown(r);
    expect(md.length).toBeLessThan(60_000);
    expect(md).toMatch(/the list of delete changes \(\d+ of 3020 shown\)/);
    expect(md).toMatch(/the list of medium resource-delete findings \(\d+ of 3000 shown\)/);
    expect(md).not.toContain("every other finding, destructive change and drifted resource");
    expect(md).not.toMatch(/\bcomplete\b/);
    for (let i = 0; i < 20; i++) {
      expect(md).toContain(`**${code(`aws_db_instance.db${i}`)}**: destroy`);
      expect(md).toContain(`- 🛑 critical ${code("stateful-delete")} ${code(`aws_db_instance.db${i}`)}: `);
    }
    expect(md.indexOf("aws_db_instance.db19")).toBeLessThan(
      md.indexOf("aws_instance.vm_with_a_rather_long_name_0"),
    );
  });
});

describe("renderJson", () => {
  it("comes in pieces of one change each, which join into the whole document", () => {
    const r = review(JSON.stringify(generatePlan({ changes: 2_000 })));
    const pieces = [...renderJsonChunks(r)];
    const whole = pieces.join("");
    expect(whole).toBe(renderJson(r));
    expect(whole.length).toBeGreaterThan(5_000_000);
    expect(pieces.length).toBeGreaterThan(2_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(20_000);
    const json = JSON.parse(whole);
    expect(json.schemaVersion).toBe(JSON_SCHEMA_VERSION);
    expect(json.changes).toHaveLength(2_000);
  });

  it("has counts, changes with masked diffs, findings, drift and errored; exact numbers stay bare", () => {
    const text = renderJson(review(mixed));
    expect(text).toContain('"after": 123456789012345678901');
    const json = JSON.parse(text);
    expect(Object.keys(json.counts).sort()).toEqual(
      ["create", "delete", "forget", "import", "move", "noop", "read", "replace", "unknown", "update"].sort(),
    );
    expect(json).toMatchObject({ errored: false, drift: [] });
    const web = json.changes.find((c: { address: string }) => c.address === "aws_instance.web");
    expect(web.action).toBe("update");
    expect(web.diff).toContainEqual({
      path: "password",
      op: "update",
      before: "(sensitive)",
      after: "(sensitive)",
      beforeSensitive: true,
      afterSensitive: true,
    });
    expect(web.diff).toContainEqual({
      path: "private_ip",
      op: "add",
      after: "(known after apply)",
      afterUnknown: true,
    });
    expect(json.findings.map((f: { rule: string }) => f.rule)).toContain("stateful-delete");
  });
});

describe("renderText", () => {
  it("colours when asked and not otherwise", () => {
    const r = review(mixed);
    expect(renderText(r, { color: true })).toContain("\u001b[31m");
    const plain = renderText(r);
    expect(plain).not.toContain("\u001b[");
    expect(plain).toContain("aws_db_instance.main: destroy");
  });
});

describe("planDigest and planFacts", () => {
  const a: ChangeSpec = { name: "a", actions: ["create"], after: { x: 1 } };
  const b: ChangeSpec = { name: "b", actions: ["update"], before: { x: 1 }, after: { x: 2 } };
  const base = [a, b];
  it("ignores order, timestamps and versions; changes with addresses, actions and values", () => {
    const d = planDigest(review(planText(base)));
    expect(
      planDigest(
        review(
          planText([...base].reverse(), { timestamp: "2030-01-01T00:00:00Z", terraform_version: "1.10.0" }),
        ),
      ),
    ).toBe(d);
    expect(planDigest(review(planText([a, { ...b, after: { x: 3 } }])))).not.toBe(d);
    expect(planDigest(review(planText([a, { ...b, actions: ["delete", "create"] }])))).not.toBe(d);
    expect(planDigest(review(planText([a, { ...b, name: "c" }])))).not.toBe(d);
  });

  it("gives the policy engine plain facts; unknown actions count as replace", () => {
    const facts = planFacts(
      review(planText([{ actions: ["create"] }, { name: "odd", actions: ["warp"] }], { complete: false })),
    );
    expect(facts.changes).toEqual([
      { address: "aws_instance.this", type: "aws_instance", kind: "create", actions: ["create"] },
      {
        address: "aws_instance.odd",
        type: "aws_instance",
        kind: "replace",
        actions: ["warp"],
        unknownActions: true,
      },
    ]);
    expect(facts.errored).toBe(true);
    expect(facts.findings.map((f) => f.rule)).toEqual(["plan-incomplete", "unknown-action"]);
  });
});
