import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { organisation } from "../../environments/shared.ts";
import { loadWorkflow, repositoryRoot, workflowsDir, workflowText } from "../test/workflows.ts";
import {
  localResolver,
  permissionProblems,
  schemaProblems,
  unpinnedUses,
  type Workflow,
  workflowFiles,
} from "./workflow-lint.ts";

const root = repositoryRoot;
const dir = workflowsDir;
const schema = join(root, ".github/schemas/github-workflow.json");
const resolveCall = localResolver(dir, organisation.repository);
const files = workflowFiles(dir);
const text = workflowText;
const load = (f: string) => loadWorkflow<Workflow>(f);

describe("every workflow in .github/workflows", () => {
  it("is found, the gitops one included", () => {
    expect(files).toEqual(
      expect.arrayContaining(["gitops.yml", "terraform.yml", "apply.yml", "build.yml", "promote.yml"]),
    );
  });

  it.each(files)("%s validates against the GitHub Actions workflow schema", (file) => {
    expect(schemaProblems(schema, load(file), file)).toEqual([]);
  });

  it.each(files)("%s pins third-party actions to commit SHAs", (file) => {
    expect(unpinnedUses(text(file), file, root, organisation.repository)).toEqual([]);
  });

  it.each(files)("%s has least-privilege permissions, id-token: write only where OIDC is used", (file) => {
    expect(permissionProblems(load(file), file, resolveCall)).toEqual([]);
  });
});

describe("the workflow checks", () => {
  const base = load("gitops.yml") as Workflow & Record<string, unknown>;

  it("name the file and field a schema violation is at", () => {
    const broken = structuredClone(base) as Record<string, unknown> & {
      jobs: Record<string, Record<string, unknown>>;
    };
    (broken.jobs.render as Record<string, unknown>)["runs-of"] = "ubuntu-latest";
    expect(schemaProblems(schema, broken, "gitops.yml")).toContain(
      "gitops.yml: jobs.render: must NOT have additional properties 'runs-of'",
    );
    expect(
      schemaProblems(schema, { ...broken, on: 3 }, "x.yml").some((p) => p.startsWith("x.yml: on: ")),
    ).toBe(true);
  });

  it("refuse tags, branches and SHAs without a version comment", () => {
    const sha = "11bd71901bbe5b1630ceea73d27597364c9af683";
    const lines = [
      "      - uses: actions/checkout@v4",
      `      - uses: actions/checkout@${sha}`,
      `      - uses: actions/checkout@${sha} # v4.2.2`,
      "      - uses: ./.github/actions/missing",
      `    uses: ${organisation.repository}/.github/workflows/plan-stack.yml@main`,
      `    uses: someone/else/.github/workflows/x.yml@main`,
    ].join("\n");
    expect(unpinnedUses(lines, "w.yml", root, organisation.repository)).toEqual([
      "w.yml:1: 'actions/checkout@v4' is not pinned to a commit SHA with its version in a comment",
      `w.yml:2: 'actions/checkout@${sha}' is not pinned to a commit SHA with its version in a comment`,
      "w.yml:4: ./.github/actions/missing does not exist",
      "w.yml:6: 'someone/else/.github/workflows/x.yml@main' is not pinned to a commit SHA with its version in a comment",
    ]);
  });

  it("refuse write by default, stray writes and id-token where no OIDC is used", () => {
    const aws = { uses: "aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502" };
    const w = (permissions: unknown, jobs: Record<string, unknown>) => ({ permissions, jobs }) as Workflow;
    expect(permissionProblems(w(undefined, {}), "w.yml", resolveCall)).toEqual([
      "w.yml: permissions: not set (the default may grant write)",
    ]);
    expect(permissionProblems(w("write-all", {}), "w.yml", resolveCall)).toEqual([
      "w.yml: permissions.*: must be read or none, got write-all",
    ]);
    expect(
      permissionProblems(
        w(
          { contents: "read" },
          {
            a: { permissions: { "id-token": "write" }, steps: [{ run: "true" }] },
            b: { permissions: { contents: "read" }, steps: [aws] },
            c: { permissions: { contents: "write", "id-token": "write" }, steps: [aws] },
            d: { permissions: { "id-token": "write" }, uses: "./.github/workflows/apply-environment.yml" },
            e: { permissions: { "id-token": "write" }, uses: "./.github/workflows/gitops.yml" },
          },
        ),
        "w.yml",
        resolveCall,
      ),
    ).toEqual([
      "w.yml: jobs.a.permissions.id-token: write, but the job does not use OIDC",
      "w.yml: jobs.b: uses OIDC without permissions.id-token: write",
      "w.yml: jobs.c.permissions.contents: write is not allowed (only id-token, pull-requests, checks, statuses)",
      "w.yml: jobs.e.permissions.id-token: write, but the job does not use OIDC",
    ]);
  });
});
