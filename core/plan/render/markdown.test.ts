import { describe, expect, it } from "vitest";
import { planDigest } from "../digest.ts";
import { change, counts, finding, reviewOf } from "../test/reviews.ts";
import type { PlanReview } from "../types.ts";
import { code, renderMarkdown } from "./markdown.ts";

const full = reviewOf({
  terraformVersion: "1.9.8",
  errored: true,
  complete: false,
  applyable: false,
  notes: ["a note"],
  warnings: ["w\n1"],
  counts: counts({ update: 1, delete: 1, unknown: 1 }),
  summary: { import: 0, add: 0, change: 1, destroy: 1 },
  findings: [
    finding("critical", "stateful-delete", "aws_x.d", "r|1"),
    finding("medium", "m", "", "plan\nwide"),
  ],
  changes: [
    change("aws_x.d", {
      kind: "delete",
      before: { id: "x" },
      after: null,
      actionReason: "delete_because_no_resource_config",
    }),
    change("module.m.aws_x.u", {
      before: { a: 1, b: "`" },
      after: { a: 2, b: "``" },
      previousAddress: "aws_x.u",
      importing: { id: "imp" },
      replacePaths: [["a", 0], ["b"]],
      deposed: "dp",
      actionReason: "why",
    }),
    change("aws_x.n", { kind: "noop" }),
    change("aws_x.rd", { kind: "read", actions: ["read"], before: null, after: { a: 1 } }),
    change("aws_x.same", { before: { a: 1 }, after: { a: 1 } }),
  ],
  drift: [change("aws_x.dr", { before: { a: 1, b: 1 }, after: { a: 2, b: 2 } })],
  outputs: [
    { name: "o", actions: ["update"], kind: "update", sensitive: false, before: 1, after: "x" },
    { name: "gone", actions: ["delete"], kind: "delete", sensitive: false, before: 1, after: null },
    { name: "same", actions: ["no-op"], kind: "noop", sensitive: false, before: 1, after: 1 },
  ],
  checks: [
    { address: "check.c", kind: "check", status: "fail", problems: ["p\n1", "p2"] },
    { address: "", kind: "resource", status: "pass", problems: [] },
  ],
});

describe("renderMarkdown, when everything fits", () => {
  it("writes every section in full: notes, counts, a findings table, lists, critical diffs, checks, outputs, modules", () => {
    expect(renderMarkdown(full, { digest: "d", costSection: "COST\n" })).toBe(
      `${[
        "### Terraform plan review",
        "",
        "> [!CAUTION]",
        "> Terraform reported errors while planning: this plan is partial.",
        "",
        "> [!WARNING]",
        "> The plan is incomplete: some changes are deferred to a later plan.",
        "",
        "> [!NOTE]",
        "> Terraform marks this plan as not applyable (nothing to apply).",
        "",
        "> a note",
        "",
        "> [!WARNING]",
        "> Parts of the plan could not be read as expected:",
        "> - w\\u000a1",
        "",
        "| create | update | replace | delete | import | move | read | forget | no-op | unknown |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| 0 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "",
        "Terraform's summary: Plan: 0 to add, 1 to change, 1 to destroy.",
        "",
        "",
        "COST",
        "#### Findings (2: 1 critical, 1 medium)",
        "",
        "| severity | rule | address | reason |",
        "|---|---|---|---|",
        "| 🛑 critical | `stateful-delete` | `aws_x.d` | r\\|1 |",
        "| 🟠 medium | `m` | (plan) | plan\\u000awide |",
        "",
        "#### Destructive changes (1)",
        "",
        "- `aws_x.d`: **destroy** (delete_because_no_resource_config)",
        "",
        "#### Drift: changed outside Terraform (1)",
        "",
        "- `aws_x.dr`: update (`a`, `b`)",
        "",
        "#### Critical changes (1)",
        "",
        "**`aws_x.d`**: destroy (delete_because_no_resource_config)",
        "",
        "```diff",
        '- id = "x"',
        "```",
        "",
        "#### Checks",
        "",
        "- `check.c`: fail: p\\u000a1; p2",
        "- `resource`: pass",
        "",
        "#### Outputs (2 changing)",
        "",
        '- `o`: update = `"x"`',
        "- `gone`: delete",
        "",
        "#### Changes by module",
        "",
        "<details><summary>root module (2 changes)</summary>",
        "",
        "**`aws_x.same`**: update in-place",
        "",
        "**`aws_x.rd`**: read",
        "",
        "</details>",
        "",
        "<details><summary>module.m (1 change)</summary>",
        "",
        "**`module.m.aws_x.u`**: move, then update in-place (moved from `aws_x.u`; imported from id `imp`; why; replace forced by `a.0`, `b`; deposed object `dp`)",
        "",
        "```diff",
        "~ a = 1 -> 2",
        '~ b = "`" -> "``"',
        "```",
        "",
        "</details>",
        "",
        "",
        "---",
        "Plan digest `d` · plan format `1.2` · terraform `1.9.8`",
      ].join("\n")}\n`,
    );
  });
});

const headOf = (text: string) => text.slice(0, text.indexOf("| create"));
const countsAndFooter = (more = "") =>
  `| create | update | replace | delete | import | move | read | forget | no-op |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |

Terraform's summary: Plan: 0 to add, 0 to change, 0 to destroy.

${more}
---
Plan digest \`d\` · plan format \`1.2\`
`;

describe("renderMarkdown's header and footer", () => {
  it("says an empty plan has no resource changes, and leaves the terraform version out when unknown", () => {
    expect(renderMarkdown(reviewOf(), { digest: "d" })).toBe(
      `### Terraform plan review\n\n${countsAndFooter("No resource changes.\n\n")}`,
    );
  });

  it("computes the digest when none is given", () => {
    const r = reviewOf();
    expect(renderMarkdown(r)).toContain(`Plan digest ${code(planDigest(r))} · `);
  });

  it("shows ten warnings, then how many more", () => {
    const warnings = (n: number) => reviewOf({ warnings: Array.from({ length: n }, (_, i) => `w${i}`) });
    const list = (n: number) => Array.from({ length: n }, (_, i) => `> - w${i}\n`).join("");
    const intro =
      "### Terraform plan review\n\n> [!WARNING]\n> Parts of the plan could not be read as expected:\n";
    expect(headOf(renderMarkdown(warnings(10), { digest: "d" }))).toBe(`${intro}${list(10)}\n`);
    expect(headOf(renderMarkdown(warnings(12), { digest: "d" }))).toBe(
      `${intro}${list(10)}> - …and 2 more warnings\n\n`,
    );
  });
});

describe("code", () => {
  it("fences a span with one backtick more than its longest run, padded when it starts or ends with one", () => {
    expect(code("a.b")).toBe("`a.b`");
    expect(code("a``b")).toBe("```a``b```");
    expect(code("x`")).toBe("`` x` ``");
    expect(code("a\nb")).toBe("`a\\u000ab`");
  });
});

describe("renderMarkdown's diffs", () => {
  const many = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]));

  it("lists ten changed paths of drift, then an ellipsis; none for drift without changed attributes", () => {
    const r = reviewOf({
      drift: [
        change("aws_x.d", { before: many(11), after: {} }),
        change("aws_x.t", { before: many(10), after: {} }),
        change("aws_x.e", { kind: "delete", actions: ["delete"], before: { a: 1 }, after: { a: 1 } }),
      ],
    });
    const paths = (n: number) =>
      Array.from({ length: n }, (_, i) => `\`k${String(i).padStart(2, "0")}\``).join(", ");
    expect(renderMarkdown(r, { digest: "d" })).toContain(
      `#### Drift: changed outside Terraform (3)

- \`aws_x.d\`: update (${paths(10)}, …)
- \`aws_x.t\`: update (${paths(10)})
- \`aws_x.e\`: delete

`,
    );
  });

  it("cuts a diff at maxDiffLines, fences a body holding backticks with a longer fence, says imported without an id", () => {
    const r = reviewOf({
      changes: [
        change("aws_x.a", { before: { a: "```" }, after: { a: 1 }, importing: {} }),
        change("aws_x.b", { before: many(3), after: {} }),
        change("aws_x.c", { before: many(2), after: {} }),
      ],
    });
    expect(renderMarkdown(r, { digest: "d", maxDiffLines: 2 })).toContain(
      `<details><summary>root module (3 changes)</summary>

**\`aws_x.a\`**: update in-place (imported)

\`\`\`\`diff
~ a = "\`\`\`" -> 1
\`\`\`\`

**\`aws_x.b\`**: update in-place

\`\`\`diff
- k00 = 0
- k01 = 1
# …and 1 more attributes
\`\`\`

**\`aws_x.c\`**: update in-place

\`\`\`diff
- k00 = 0
- k01 = 1
\`\`\`

</details>
`,
    );
  });

  it("shows 40 diff lines by default", () => {
    const r = reviewOf({ changes: [change("aws_x.b", { before: many(41), after: {} })] });
    const md = renderMarkdown(r, { digest: "d" });
    expect(md).toContain("- k39 = 39\n# …and 1 more attributes\n");
  });
});

const deletes = reviewOf({
  findings: [
    finding("high", "h", "aws_x.d0"),
    finding("high", "h", "aws_x.d1"),
    finding("high", "h", "aws_x.d2"),
    ...Array.from({ length: 6 }, (_, i) => finding("medium", "m", `aws_x.d${i}`)),
  ],
  changes: Array.from({ length: 6 }, (_, i) =>
    change(`aws_x.d${i}`, { kind: "delete", before: { id: i }, after: null }),
  ),
});

const mixed = reviewOf({
  findings: [
    finding("critical", "c", "aws_x.d1", "crit"),
    finding("high", "h", "", "plan-wide"),
    finding("medium", "m", "aws_x.u1", "med\n1"),
    finding("medium", "m", "aws_x.u2", "med2"),
    finding("medium", "m2", "aws_x.u1", "other"),
    finding("low", "l", "", "low"),
  ],
  changes: [
    change("aws_x.d1", { kind: "delete", before: { id: "1" }, after: null }),
    change("aws_x.d2", { kind: "delete", before: { id: "2" }, after: null }),
    change("aws_x.r1", {
      kind: "replace",
      actions: ["delete", "create"],
      before: { id: "2" },
      after: { id: "3" },
    }),
    change("aws_x.u1", { before: { a: 1 }, after: { a: 2 } }),
  ],
  drift: [change("aws_x.dr1"), change("aws_x.dr2")],
});

/** The comment from its findings on, at `maxChars`. */
const fromFindings = (r: PlanReview, maxChars: number) => {
  const md = renderMarkdown(r, { digest: "d", maxChars });
  expect(md.length).toBeLessThanOrEqual(maxChars);
  return md.slice(md.indexOf("#### Findings"));
};

describe("renderMarkdown, when the plan does not fit", () => {
  it("keeps every critical and high finding and cuts the other lists to the same number of addresses", () => {
    expect(fromFindings(deletes, 1770)).toBe(
      `${[
        "#### Findings (9: 3 high, 6 medium)",
        "",
        "- 🔴 high `h` `aws_x.d0`: why",
        "- 🔴 high `h` `aws_x.d1`: why",
        "- 🔴 high `h` `aws_x.d2`: why",
        "",
        "- 🟠 medium `m` ×6, e.g. why",
        "  - `aws_x.d0`",
        "  - …and 5 more",
        "",
        "#### Destructive changes (6)",
        "",
        "- **delete** (6):",
        "  - `aws_x.d0`",
        "  - …and 5 more",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the list of medium m findings (1 of 6 shown); the list of delete changes (1 of 6 shown); the attribute diffs of 6 of 6 other changes. Shown in full above: the counts, every critical and high finding. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
  });

  it("cuts critical and high findings only when they take more than half the room", () => {
    expect(fromFindings(deletes, 1715).split("\n").slice(0, 5)).toEqual([
      "#### Findings (9: 3 high, 6 medium)",
      "",
      "- 🔴 high `h` `aws_x.d0`: why",
      "- …and 2 more critical or high findings",
      "",
    ]);
    expect(fromFindings(deletes, 1500)).toBe(
      `${[
        "#### Findings (9: 3 high, 6 medium)",
        "",
        "- …and 3 more critical or high findings",
        "",
        "- 🟠 medium `m` ×6, e.g. why",
        "  - …and 6 more",
        "",
        "#### Destructive changes (6)",
        "",
        "- **delete** (6):",
        "  - …and 6 more",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the list of critical and high findings (0 of 3 shown); the list of medium m findings (0 of 6 shown); the list of delete changes (0 of 6 shown); the attribute diffs of 6 of 6 other changes. Shown in full above: the counts. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
  });

  it("gives the findings table and the diffs that fit, and says how many diffs it left out", () => {
    expect(fromFindings(deletes, 2450)).toBe(
      `${[
        "#### Findings (9: 3 high, 6 medium)",
        "",
        "| severity | rule | address | reason |",
        "|---|---|---|---|",
        "| 🔴 high | `h` | `aws_x.d0` | why |",
        "| 🔴 high | `h` | `aws_x.d1` | why |",
        "| 🔴 high | `h` | `aws_x.d2` | why |",
        "| 🟠 medium | `m` | `aws_x.d0` | why |",
        "| 🟠 medium | `m` | `aws_x.d1` | why |",
        "| 🟠 medium | `m` | `aws_x.d2` | why |",
        "| 🟠 medium | `m` | `aws_x.d3` | why |",
        "| 🟠 medium | `m` | `aws_x.d4` | why |",
        "| 🟠 medium | `m` | `aws_x.d5` | why |",
        "",
        "#### Destructive changes (6)",
        "",
        "- `aws_x.d0`: **destroy**",
        "- `aws_x.d1`: **destroy**",
        "- `aws_x.d2`: **destroy**",
        "- `aws_x.d3`: **destroy**",
        "- `aws_x.d4`: **destroy**",
        "- `aws_x.d5`: **destroy**",
        "",
        "#### Changes by module",
        "",
        "<details><summary>root module (6 changes)</summary>",
        "",
        "**`aws_x.d0`**: destroy",
        "",
        "```diff",
        "- id = 0",
        "```",
        "",
        "**`aws_x.d1`**: destroy",
        "",
        "```diff",
        "- id = 1",
        "```",
        "",
        "**`aws_x.d2`**: destroy",
        "",
        "```diff",
        "- id = 2",
        "```",
        "",
        "**`aws_x.d3`**: destroy",
        "",
        "```diff",
        "- id = 3",
        "```",
        "",
        "**`aws_x.d4`**: destroy",
        "",
        "```diff",
        "- id = 4",
        "```",
        "",
        "</details>",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the attribute diffs of 1 of 6 other changes. Shown in full above: the counts, every critical and high finding, every other finding, destructive change and drifted resource. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
  });

  it("lists the other findings per rule, destructive changes per kind and drift, one address a line", () => {
    expect(fromFindings(mixed, 2040)).toBe(
      `${[
        "#### Findings (6: 1 critical, 1 high, 3 medium, 1 low)",
        "",
        "- 🛑 critical `c` `aws_x.d1`: crit",
        "- 🔴 high `h` (plan): plan-wide",
        "",
        "- 🟠 medium `m` ×2, e.g. med\\u000a1",
        "  - `aws_x.u1`",
        "  - `aws_x.u2`",
        "- 🟠 medium `m2` ×1, e.g. other",
        "  - `aws_x.u1`",
        "- 🟡 low `l` ×1, e.g. low",
        "  - (plan)",
        "",
        "#### Destructive changes (3)",
        "",
        "- **delete** (2):",
        "  - `aws_x.d1`",
        "  - `aws_x.d2`",
        "- **replace** (1):",
        "  - `aws_x.r1`",
        "",
        "#### Drift: changed outside Terraform (2)",
        "",
        "- `aws_x.dr1`",
        "- `aws_x.dr2`",
        "",
        "#### Critical changes (1)",
        "",
        "**`aws_x.d1`**: destroy",
        "",
        "```diff",
        '- id = "1"',
        "```",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the attribute diffs of 3 of 3 other changes. Shown in full above: the counts, every critical and high finding, every other finding, destructive change and drifted resource, a diff of every critical change. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
  });

  it("keeps the diff of a critical change before other lists, then drops it when even that does not fit", () => {
    expect(fromFindings(mixed, 1780)).toBe(
      `${[
        "#### Findings (6: 1 critical, 1 high, 3 medium, 1 low)",
        "",
        "- 🛑 critical `c` `aws_x.d1`: crit",
        "- 🔴 high `h` (plan): plan-wide",
        "",
        "- 🟠 medium `m` ×2, e.g. med\\u000a1",
        "  - …and 2 more",
        "- 🟠 medium `m2` ×1, e.g. other",
        "  - …and 1 more",
        "- 🟡 low `l` ×1, e.g. low",
        "  - …and 1 more",
        "",
        "#### Destructive changes (3)",
        "",
        "- **delete** (2):",
        "  - …and 2 more",
        "- **replace** (1):",
        "  - …and 1 more",
        "",
        "#### Drift: changed outside Terraform (2)",
        "",
        "- …and 2 more",
        "",
        "#### Critical changes (1)",
        "",
        "**`aws_x.d1`**: destroy",
        "",
        "```diff",
        '- id = "1"',
        "```",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the list of medium m findings (0 of 2 shown); the list of medium m2 findings (0 of 1 shown); the list of low l findings (0 of 1 shown); the list of delete changes (0 of 2 shown); the list of replace changes (0 of 1 shown); the list of drifted resources (0 of 2 shown); the attribute diffs of 3 of 3 other changes. Shown in full above: the counts, every critical and high finding, a diff of every critical change. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
    expect(fromFindings(mixed, 1750)).toBe(
      `${[
        "#### Findings (6: 1 critical, 1 high, 3 medium, 1 low)",
        "",
        "- 🛑 critical `c` `aws_x.d1`: crit",
        "- 🔴 high `h` (plan): plan-wide",
        "",
        "- 🟠 medium `m` ×2, e.g. med\\u000a1",
        "  - …and 2 more",
        "- 🟠 medium `m2` ×1, e.g. other",
        "  - …and 1 more",
        "- 🟡 low `l` ×1, e.g. low",
        "  - …and 1 more",
        "",
        "#### Destructive changes (3)",
        "",
        "- **delete** (2):",
        "  - …and 2 more",
        "- **replace** (1):",
        "  - …and 1 more",
        "",
        "#### Drift: changed outside Terraform (2)",
        "",
        "- …and 2 more",
        "",
        "> [!NOTE]",
        "> Cut to fit a pull-request comment: the list of medium m findings (0 of 2 shown); the list of medium m2 findings (0 of 1 shown); the list of low l findings (0 of 1 shown); the list of delete changes (0 of 2 shown); the list of replace changes (0 of 1 shown); the list of drifted resources (0 of 2 shown); the diffs of 1 of 1 critical changes; the attribute diffs of 3 of 3 other changes. Shown in full above: the counts, every critical and high finding. Run `sluice plan review <plan> --format json` for everything.",
        "",
        "---",
        "Plan digest `d` · plan format `1.2`",
      ].join("\n")}\n`,
    );
  });
});

describe("renderMarkdown's last resorts", () => {
  const sections = reviewOf({
    outputs: [
      { name: "o", actions: ["update"], kind: "update", sensitive: false, before: 1, after: "x".repeat(100) },
    ],
    checks: [{ address: "check.c", kind: "check", status: "fail", problems: ["p".repeat(50)] }],
  });
  const afterCounts = (md: string) =>
    md.slice(md.indexOf("No resource changes.\n\n") + 22, md.indexOf("\n---\n"));
  const note = (cut: string) =>
    `> [!NOTE]\n> Cut to fit a pull-request comment: ${cut}. Shown in full above: the counts, every critical and high finding, every other finding, destructive change and drifted resource. Run \`sluice plan review <plan> --format json\` for everything.\n`;
  const checks = `#### Checks\n\n- \`check.c\`: fail: ${"p".repeat(50)}\n\n`;

  it("leaves out the checks or outputs section that does not fit and says so", () => {
    expect(afterCounts(renderMarkdown(sections, { digest: "d", maxChars: 1603 }))).toBe(
      note("a section of outputs or checks; a section of outputs or checks"),
    );
    expect(afterCounts(renderMarkdown(sections, { digest: "d", maxChars: 1604 }))).toBe(
      `${checks}${note("a section of outputs or checks")}`,
    );
    expect(afterCounts(renderMarkdown(sections, { digest: "d", maxChars: 1754 }))).toBe(
      `${checks}#### Outputs (1 changing)\n\n- \`o\`: update = \`"${"x".repeat(100)}"\`\n\n`,
    );
  });

  it("shows an output's value up to 120 characters", () => {
    const r = reviewOf({
      outputs: [
        {
          name: "o",
          actions: ["create"],
          kind: "create",
          sensitive: false,
          before: null,
          after: "x".repeat(130),
        },
      ],
    });
    expect(renderMarkdown(r, { digest: "d" })).toContain(
      `- \`o\`: create = \`"${"x".repeat(119)}… (12 more chars)\`\n`,
    );
  });

  it("cuts critical diffs to fewer lines each before it leaves any out", () => {
    const crit = reviewOf({
      findings: [finding("critical", "c", "aws_x.a"), finding("critical", "c", "aws_x.b")],
      changes: ["a", "b"].map((n) =>
        change(`aws_x.${n}`, { kind: "delete", before: { k1: 1, k2: 2, k3: 3, k4: 4 }, after: null }),
      ),
    });
    const block = (n: string) =>
      `**\`aws_x.${n}\`**: destroy\n\n\`\`\`diff\n- k1 = 1\n# …and 3 more attributes\n\`\`\`\n\n`;
    const from = (md: string) => md.slice(md.indexOf("#### Critical"), md.indexOf("Shown in full"));
    expect(from(renderMarkdown(crit, { digest: "d", maxChars: 1842 }))).toBe(
      `#### Critical changes (2)\n\n${block("a")}${block("b")}> [!NOTE]\n> Cut to fit a pull-request comment: the diffs of critical changes to 1 line(s) each. `,
    );
    expect(from(renderMarkdown(crit, { digest: "d", maxChars: 1772 }))).toBe(
      `#### Critical changes (2)\n\n${block("a")}> [!NOTE]\n> Cut to fit a pull-request comment: the diffs of 1 of 2 critical changes. `,
    );
  });

  it("does not cut a text exactly maxChars long", () => {
    const whole = renderMarkdown(reviewOf(), { digest: "d" });
    expect(renderMarkdown(reviewOf(), { digest: "d", maxChars: whole.length })).toBe(whole);
  });

  it("cuts the text itself at maxChars when even the counts do not fit", () => {
    const md = renderMarkdown(reviewOf(), { digest: "d", maxChars: 200 });
    expect(md).toBe(
      "### Terraform plan review\n\n| create | update | replace | delete | import | move | read | forget | no-op |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n| 0 | 0\n\n…(cut at 200 characters)\n",
    );
  });
});

describe("renderMarkdown's module diffs", () => {
  const modules = reviewOf({
    changes: ["aws_x.a", "module.b.aws_x.b", "module.b.aws_x.c", "module.c.aws_x.d"].map((a) =>
      change(a, { before: { k: 1 }, after: { k: 2 } }),
    ),
  });
  const block = (a: string) => `**\`${a}\`**: update in-place\n\n\`\`\`diff\n~ k = 1 -> 2\n\`\`\`\n\n`;
  const root = `<details><summary>root module (1 change)</summary>\n\n${block("aws_x.a")}</details>\n\n`;
  const b = (...blocks: string[]) =>
    `<details><summary>module.b (2 changes)</summary>\n\n${blocks.join("")}</details>\n\n`;
  const body = (maxChars: number) => {
    const md = renderMarkdown(modules, { digest: "d", maxChars });
    expect(md.length).toBeLessThanOrEqual(maxChars);
    const from = md.indexOf("destroy.\n\n") + 10;
    const note = md.indexOf("> [!NOTE]");
    return [md.slice(from, note), md.slice(note, md.indexOf(". Shown"))];
  };
  const cut = (n: number) =>
    `> [!NOTE]\n> Cut to fit a pull-request comment: the attribute diffs of ${n} of 4 other changes`;

  it("adds modules, and changes within a module, while they fit; never an empty module", () => {
    expect(body(1522)).toEqual(["", cut(4)]);
    expect(body(1523)).toEqual(["#### Changes by module\n\n", cut(4)]);
    expect(body(1643)).toEqual(["#### Changes by module\n\n", cut(4)]);
    expect(body(1644)).toEqual([`#### Changes by module\n\n${root}`, cut(3)]);
    expect(body(1772)).toEqual([`#### Changes by module\n\n${root}`, cut(3)]);
    expect(body(1773)).toEqual([`#### Changes by module\n\n${root}${b(block("module.b.aws_x.b"))}`, cut(2)]);
    expect(body(1839)).toEqual([`#### Changes by module\n\n${root}${b(block("module.b.aws_x.b"))}`, cut(2)]);
    expect(body(1840)).toEqual([
      `#### Changes by module\n\n${root}${b(block("module.b.aws_x.b"), block("module.b.aws_x.c"))}`,
      cut(1),
    ]);
  });
});

describe("renderMarkdown's details", () => {
  it("escapes & in module summaries, joins drift actions, shows low and info icons", () => {
    const r = reviewOf({
      findings: [finding("low", "l", "aws_x.a"), finding("info", "i", "")],
      changes: [change('module.m["a&b"].aws_x.a')],
      drift: [
        change("aws_x.d", {
          kind: "replace",
          actions: ["delete", "create"],
          before: { a: 1 },
          after: { a: 1 },
        }),
      ],
    });
    const md = renderMarkdown(r, { digest: "d" });
    expect(md).toContain('<details><summary>module.m["a&amp;b"] (1 change)</summary>');
    expect(md).toContain("- `aws_x.d`: delete, create\n");
    expect(md).toContain("| 🟡 low | `l` | `aws_x.a` | why |\n| ℹ️ info | `i` | (plan) | why |\n");
  });

  it("gives no diff in the critical section to a no-op that shares its address with a critical change", () => {
    const r = reviewOf({
      findings: [finding("critical", "c", "aws_x.a")],
      changes: [
        change("aws_x.a", { kind: "noop", actions: ["no-op"] }),
        change("aws_x.a", { kind: "delete", deposed: "d1", before: { k: 1 }, after: null }),
      ],
    });
    const md = renderMarkdown(r, { digest: "d" });
    expect(md).toContain(
      "#### Critical changes (1)\n\n**`aws_x.a`**: destroy (deposed object `d1`)\n\n```diff\n- k = 1\n```\n\n\n---",
    );
  });
});

describe("renderMarkdown's critical diff lines", () => {
  it("gives every critical diff as many lines as fit, exactly at the limit", () => {
    const before = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, i]));
    const r = reviewOf({
      findings: ["a", "b", "e"].map((n) => finding("critical", "c", `aws_x.${n}`)),
      changes: ["a", "b", "e"].map((n) => change(`aws_x.${n}`, { kind: "delete", before, after: null })),
    });
    const note = (maxChars: number) =>
      renderMarkdown(r, { digest: "d", maxChars }).match(/Cut to fit[^.]*/)?.[0];
    expect(note(1986)).toBe(
      "Cut to fit a pull-request comment: the diffs of critical changes to 1 line(s) each",
    );
    expect(note(1987)).toBe(
      "Cut to fit a pull-request comment: the diffs of critical changes to 2 line(s) each",
    );
    expect(renderMarkdown(r, { digest: "d", maxChars: 1987 })).toContain(
      "**`aws_x.e`**: destroy\n\n```diff\n- k0 = 0\n- k1 = 1\n# …and 6 more attributes\n```\n",
    );
  });
});

describe("renderMarkdown's choice of the full form", () => {
  const table = (r: PlanReview, maxChars: number) =>
    renderMarkdown(r, { digest: "d", maxChars }).includes("| severity | rule | address | reason |");

  it("tries the findings table only when the budget holds 40 characters for each finding, destructive change and drifted resource", () => {
    const findings = reviewOf({ findings: Array.from({ length: 20 }, () => finding("low", "l", "", "w")) });
    expect(table(findings, 2319)).toBe(false);
    expect(table(findings, 2320)).toBe(true);
    const mixed = reviewOf({
      findings: Array.from({ length: 18 }, () => finding("low", "l", "", "w")),
      changes: [change("aws_x.a", { kind: "delete", before: null, after: null }), change("aws_x.b")],
      drift: [change("aws_x.d")],
    });
    expect(table(mixed, 2297)).toBe(false);
    expect(table(mixed, 2298)).toBe(true);
  });
});

describe("renderMarkdown's budget boundaries", () => {
  const note = (maxChars: number) =>
    renderMarkdown(deletes, { digest: "d", maxChars }).match(
      /Cut to fit a pull-request comment: (.*?)\. Shown/,
    )?.[1];

  it("lets critical and high findings take exactly half the budget, and the lists exactly the rest", () => {
    expect(note(1714)).toBe(
      "the list of critical and high findings (1 of 3 shown); the list of medium m findings (0 of 6 shown); the list of delete changes (0 of 6 shown); the attribute diffs of 6 of 6 other changes",
    );
    expect(note(1754)).toBe(
      "the list of medium m findings (0 of 6 shown); the list of delete changes (0 of 6 shown); the attribute diffs of 6 of 6 other changes",
    );
    expect(note(1767)).toBe(
      "the list of medium m findings (1 of 6 shown); the list of delete changes (1 of 6 shown); the attribute diffs of 6 of 6 other changes",
    );
  });

  it("keeps the full form when it fills the budget exactly", () => {
    expect(renderMarkdown(deletes, { digest: "d", maxChars: 2125 })).toContain(
      "| severity | rule | address | reason |",
    );
    expect(note(2125)).toBe("the attribute diffs of 6 of 6 other changes");
  });
});
