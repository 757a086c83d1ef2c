import { describe, expect, it } from "vitest";
import { checkPullRequest } from "./pull-request.ts";
import { FIXTURE_GLOSSARY } from "./test/fixture-glossary.ts";

describe("checkPullRequest", () => {
  it("checks the title, changed files and the plan against the base glossary", () => {
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "Move k8s queue to production",
      changedFiles: [
        { path: "docs/runbook.md", content: "Restart the prd cluster." },
        {
          path: "gitops/ns.yaml",
          content: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev-ordrs\n",
        },
        { path: "src/app.ts", content: "const production = 1;" },
        { path: "gitops/old.yaml" },
      ],
      plan: {
        resource_changes: [
          {
            address: "aws_iam_role.r",
            type: "aws_iam_role",
            change: { actions: ["create"], after: { name: "dev-orders-rol" } },
          },
        ],
      },
    });
    expect(result.findings.map((f) => [f.file, f.name, f.rule])).toEqual([
      ["pull request title", "k8s", "deprecated-synonym"],
      ["pull request title", "production", "deprecated-synonym"],
      ["docs/runbook.md", "prd", "deprecated-synonym"],
      ["gitops/ns.yaml", "dev-ordrs", "unknown-token"],
      ["plan", "dev-orders-rol", "unknown-token"],
    ]);
    expect(result.glossaryChange).toBeUndefined();
    expect(result.findings[0]).toMatchObject({ file: "pull request title", target: "pr-title" });
  });

  it("flags a change to glossary.md for its owners (from the base branch) and validates the new text", () => {
    const broken = FIXTURE_GLOSSARY.replace(
      "Owners: @org/platform, @org/security",
      "Owners: @mallory",
    ).replace(
      "| app | — | qualifier | Applications. | @org/platform | — |",
      "| app | — | qualifier | Applications. | @org/platform | db |",
    );
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "Add terms",
      changedFiles: [{ path: "glossary.md", content: broken }],
    });
    expect(result.glossaryChange?.owners).toEqual(["@org/platform", "@org/security"]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        file: "glossary.md",
        line: 9,
        rule: "glossary-malformed",
        name: "glossary.md",
      }),
    ]);
  });

  it("flags deleting glossary.md for its owners too", () => {
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "Tidy up",
      changedFiles: [{ path: "glossary.md" }],
    });
    expect(result.glossaryChange).toMatchObject({
      owners: ["@org/platform", "@org/security"],
      message: expect.stringMatching(/^glossary\.md deleted: needs approval/),
    });
    expect(result.findings).toEqual([]);
  });

  it("reports a plan it cannot read instead of passing it as having no names", () => {
    for (const plan of ["{}", [], null, { variables: {} }]) {
      const result = checkPullRequest({
        baseGlossary: FIXTURE_GLOSSARY,
        title: "ok",
        changedFiles: [],
        plan,
      });
      expect(result.findings, JSON.stringify(plan)).toEqual([
        expect.objectContaining({ file: "plan", rule: "unreadable" }),
      ]);
    }
  });

  it("reports an unreadable changed file as a finding, failing closed", () => {
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "ok",
      changedFiles: [{ path: "cdk.tf.json", content: "{" }],
    });
    expect(result.findings.map((f) => f.rule)).toEqual(["unreadable"]);
  });

  it("lets a pull request not weaken its own checks: the new glossary's terms do not count yet", () => {
    const added = `${FIXTURE_GLOSSARY}\n`.replace(
      "| s3 |",
      "| widget | — | resource | A widget. | @org/platform | — |\n| s3 |",
    );
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "widgets",
      changedFiles: [
        { path: "glossary.md", content: added },
        { path: "w.names", content: "generic dev-widget\n" },
      ],
    });
    expect(result.findings.map((f) => [f.name, f.rule])).toEqual([["dev-widget", "unknown-token"]]);
    expect(result.glossaryChange).toBeDefined();
  });

  it("names what an unreadable plan is instead", () => {
    const message = (plan: unknown) =>
      checkPullRequest({ baseGlossary: FIXTURE_GLOSSARY, title: "ok", changedFiles: [], plan }).findings;
    const expected = (got: string) => [
      {
        file: "plan",
        name: "plan",
        target: "file",
        rule: "unreadable",
        message: `plan: expected the JSON object of \`terraform show -json\`, got ${got}`,
      },
    ];
    expect(message("{}")).toEqual(expected("string"));
    expect(message(3)).toEqual(expected("number"));
    expect(message([])).toEqual(expected("an array"));
    expect(message(null)).toEqual(expected("null"));
    expect(message({ variables: {} })).toEqual(
      expected("an object with neither resource_changes, planned_values nor format_version"),
    );
  });

  it("checks every name of the plan", () => {
    const change = (name: string) => ({
      address: `aws_iam_role.${name}`,
      type: "aws_iam_role",
      change: { after: { name } },
    });
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "ok",
      changedFiles: [],
      plan: { resource_changes: [change("dev-rol"), change("dev-role"), change("Dev-App-x")] },
    });
    expect(result.findings.map((f) => [f.file, f.name, f.rule])).toEqual([
      ["plan", "dev-rol", "unknown-token"],
      ["plan", "Dev-App-x", "unknown-token"],
    ]);
    expect(result).not.toHaveProperty("glossaryChange");
  });

  it("says who must approve a changed glossary, at the path it is given", () => {
    const result = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      glossaryPath: "docs/glossary.md",
      title: "ok",
      changedFiles: [
        { path: "glossary.md", content: "not the glossary" },
        { path: "docs/glossary.md", content: FIXTURE_GLOSSARY },
      ],
    });
    expect(result).toEqual({
      findings: [],
      glossaryChange: {
        path: "docs/glossary.md",
        owners: ["@org/platform", "@org/security"],
        message:
          "docs/glossary.md changed: needs approval by one of its owners (@org/platform, @org/security)",
      },
    });
  });

  it("reports each problem of a malformed new glossary with its line", () => {
    const broken = FIXTURE_GLOSSARY.replace("| app | — | qualifier |", "| app | — | gadget |");
    const { findings } = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "ok",
      changedFiles: [{ path: "glossary.md", content: broken }],
    });
    expect(findings).toEqual([
      {
        file: "glossary.md",
        line: 9,
        name: "glossary.md",
        target: "glossary",
        rule: "glossary-malformed",
        message: expect.stringContaining("gadget"),
      },
    ]);
  });

  it("reports an unreadable changed file with the reason, and goes on with the other files", () => {
    const { findings } = checkPullRequest({
      baseGlossary: FIXTURE_GLOSSARY,
      title: "ok",
      changedFiles: [
        { path: "x.names", content: "bucket dev-x\n" },
        { path: "y.names", content: "generic dev-ordrs\n" },
      ],
    });
    expect(findings.map((f) => [f.file, f.name, f.target, f.rule])).toEqual([
      ["x.names", "x.names", "file", "unreadable"],
      ["y.names", "dev-ordrs", "generic", "unknown-token"],
    ]);
    expect(findings[0]?.message).toMatch(/^x\.names:1: expected 'TARGET NAME'/);
  });
});
