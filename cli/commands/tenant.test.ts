import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NameChecker } from "../../core/glossary/check.ts";
import { parseGlossary } from "../../core/glossary/parse.ts";
import type { EnvironmentConfig } from "../../environments/config.ts";
import { checkGlossaryTokens } from "../../environments/glossary-tokens.ts";
import { formatIssues, validateEnvironments } from "../../environments/validate.ts";
import {
  mergeValues,
  PLATFORM_APPS,
  TENANT_CHART,
  type Values,
  valuesProblems,
} from "../../gitops/validate/charts.ts";
import { unifiedDiff } from "../line-diff.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";
import { insertIntoConfig, insertIntoValues } from "./tenant.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const INITECH_ROW =
  "| initech  | —          | tenant    | Test tenant (tenant.test.ts).                                                                 | @sluice/platform | —                     |";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch copy of the files `sluice tenant add` reads and writes, with `initech` a tenant term. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-tenant-"));
  dirs.push(dir);
  mkdirSync(join(dir, "environments"));
  for (const file of ["config.ts", "shared.ts", "dev.ts", "staging.ts", "prod.ts"])
    cpSync(join(ROOT, "environments", file), join(dir, "environments", file));
  cpSync(join(ROOT, "gitops", "envs"), join(dir, "gitops", "envs"), { recursive: true });
  const glossary = readFileSync(join(ROOT, "glossary.md"), "utf8");
  const globex = glossary.split("\n").find((l) => l.startsWith("| globex "));
  if (!globex) throw new Error("glossary.md has no globex row");
  writeFileSync(join(dir, "glossary.md"), glossary.replace(globex, `${globex}\n${INITECH_ROW}`));
  return dir;
}

async function run(cwd: string, ...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(["tenant", "add", ...args], io.io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
const snapshot = (dir: string) =>
  [
    "environments/dev.ts",
    "environments/staging.ts",
    "gitops/envs/dev/values.yaml",
    "gitops/envs/staging/values.yaml",
  ].map((p) => read(dir, p));

/** What biome (the repository's config) would make of `text` as `path`: equal to text when it is formatted. */
function biomeFormatted(path: string, text: string): string {
  const result = spawnSync(
    join(ROOT, "node_modules", ".bin", "biome"),
    ["format", `--stdin-file-path=${path}`],
    {
      cwd: ROOT,
      input: text,
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`biome format failed: ${result.stderr}`);
  return result.stdout;
}

/** 1-based line of the first line of `path` (in this repository) equal to `text`: hunks start there. */
function lineOf(path: string, text: string): number {
  const index = readFileSync(join(ROOT, path), "utf8").split("\n").indexOf(text);
  if (index < 0) throw new Error(`${path} has no line ${JSON.stringify(text)}`);
  return index + 1;
}
const TS_HUNK = lineOf("environments/dev.ts", "  tenants: [");
const YAML_HUNK = lineOf("gitops/envs/dev/values.yaml", "      quota: { pods: 10 }") - 2;

const DEV_DIFF = `--- a/environments/dev.ts
+++ b/environments/dev.ts
@@ -${TS_HUNK},6 +${TS_HUNK},7 @@
   tenants: [
     { name: "acme", team: "example-org/acme-devs", queues: [{ name: "orders" }] },
     { name: "globex", team: "example-org/globex-devs" },
+    { name: "initech", team: "example-org/initech-devs", queues: [{ name: "orders" }] },
   ],
   identity: {
     mfa: "optional",
--- a/gitops/envs/dev/values.yaml
+++ b/gitops/envs/dev/values.yaml
@@ -${YAML_HUNK},3 +${YAML_HUNK},5 @@
     team: example-org/globex-devs
     values:
       quota: { pods: 10 }
+  initech:
+    team: example-org/initech-devs
`;

describe("sluice tenant add", () => {
  it("adds the tenant to dev with minimal diffs (only added lines), prints them, and the result is valid", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const r = await run(dir, "initech", "--env", "dev", "--team", "initech-devs", "--queue", "orders");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${DEV_DIFF}Added tenant initech to dev (environments/dev.ts, gitops/envs/dev/values.yaml).\n` +
        "Next: `sluice env check` and `npm test`, then open a pull request (docs/tenants.md).\n",
    );
    const after = snapshot(dir);
    expect(unifiedDiff("environments/dev.ts", before[0] as string, after[0] as string)).toBe(
      DEV_DIFF.slice(0, DEV_DIFF.indexOf("--- a/gitops")),
    );
    // Staging is untouched.
    expect([after[1], after[3]]).toEqual([before[1], before[3]]);

    // The edited environment file is biome-formatted, loads, validates and passes the glossary.
    const config = read(dir, "environments/dev.ts");
    expect(biomeFormatted("environments/dev.ts", config)).toBe(config);
    const { dev } = (await import(join(dir, "environments", "dev.ts"))) as { dev: EnvironmentConfig };
    expect(dev.tenants?.at(-1)).toEqual({
      name: "initech",
      team: "example-org/initech-devs",
      queues: [{ name: "orders" }],
    });
    const envs = [{ file: "environments/dev.ts", config: dev }];
    expect(formatIssues(validateEnvironments(envs, { today: "2026-12-02" }))).toBe("");
    const checker = new NameChecker(parseGlossary(read(dir, "glossary.md"), "glossary.md"));
    expect(checkGlossaryTokens(envs, checker)).toEqual([]);

    // The edited values file passes platform-apps' schema, and the tenant's values the tenant chart's.
    const values = parse(read(dir, "gitops/envs/dev/values.yaml")) as { tenants: Record<string, Values> };
    expect(valuesProblems(PLATFORM_APPS, values, "gitops/envs/dev/values.yaml")).toEqual([]);
    const release = mergeValues(
      { environment: "dev", argocdNamespace: "dev-argocd", name: "initech", server: "https://x" },
      { ...values.tenants.initech, sourceRepos: ["https://github.com/example-org/sluice.git"] },
    );
    expect(valuesProblems(TENANT_CHART, release, "x")).toEqual([]);
  });

  it("prints the same diff and writes nothing with --dry-run", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const r = await run(
      dir,
      "initech",
      "--env",
      "dev",
      "--team",
      "example-org/initech-devs",
      "--queue",
      "orders",
      "--dry-run",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${DEV_DIFF}dry run: nothing written; without --dry-run this adds tenant initech to dev\n`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("opens an empty tenants array and adds the tenants section to an environment that has none", async () => {
    const dir = scratch();
    const r = await run(
      dir,
      "initech",
      "--env",
      "staging",
      "--team",
      "initech-devs",
      "--repo",
      "https://github.com/initech/apps.git",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`@@ -54,7 +54,7 @@
   },
   queues: [{ name: "orders" }, { name: "events", fifo: true }],
   // Onboarded with \`sluice tenant add\` (docs/tenants.md); each has its gitops/envs/staging/values.yaml entry.
-  tenants: [],
+  tenants: [{ name: "initech", team: "example-org/initech-devs" }],
   identity: {`);
    expect(r.stdout).toContain(`      env.QUEUE_URL: sluice.dev/queue-orders-url
+
+# Tenants (docs/tenants.md), added by \`sluice tenant add\`.
+tenants:
+  initech:
+    team: example-org/initech-devs
+    sourceRepos:
+      - https://github.com/initech/apps.git
`);
    const config = read(dir, "environments/staging.ts");
    expect(biomeFormatted("environments/staging.ts", config)).toBe(config);
    const values = parse(read(dir, "gitops/envs/staging/values.yaml")) as Values;
    expect(valuesProblems(PLATFORM_APPS, values, "gitops/envs/staging/values.yaml")).toEqual([]);

    // A second tenant: biome writes two tenants one a line, so the array opens up.
    writeFileSync(
      join(dir, "glossary.md"),
      read(dir, "glossary.md").replace(
        INITECH_ROW,
        `${INITECH_ROW}\n${INITECH_ROW.replace("initech", "hooli  ")}`,
      ),
    );
    const second = await run(dir, "hooli", "--env", "staging", "--team", "example-org/hooli-devs");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`-  tenants: [{ name: "initech", team: "example-org/initech-devs" }],
+  tenants: [
+    { name: "initech", team: "example-org/initech-devs" },
+    { name: "hooli", team: "example-org/hooli-devs" },
+  ],`);
    const twice = read(dir, "environments/staging.ts");
    expect(biomeFormatted("environments/staging.ts", twice)).toBe(twice);
  });

  it("refuses a tenant already there, in either file, and writes nothing", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const r = await run(dir, "acme", "--env", "dev", "--team", "acme-devs");
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toBe(
      "sluice tenant add: environments/dev.ts: tenant 'acme' is already in tenants; nothing added\n",
    );
    // Only in the values file (a half-done onboarding): refused before either file is written.
    const valuesFile = join(dir, "gitops/envs/dev/values.yaml");
    writeFileSync(
      valuesFile,
      `${read(dir, "gitops/envs/dev/values.yaml")}  initech:\n    team: example-org/x\n`,
    );
    const half = snapshot(dir);
    const again = await run(dir, "initech", "--env", "dev", "--team", "x");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("gitops/envs/dev/values.yaml: tenant 'initech' is already under tenants");
    expect(snapshot(dir)).toEqual(half);
    expect(half[0]).toBe(before[0]);
  });

  it("refuses a name that is not a tenant term of the glossary, saying what to add", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const cases: [string[], string][] = [
      [
        ["Initech"],
        "tenant name 'Initech': expected one lowercase glossary term (letters and digits, starting with a letter)",
      ],
      [["init-tech"], "tenant name 'init-tech': expected one lowercase glossary term"],
      [
        ["hooli"],
        "tenant name 'hooli' is not a term of glossary.md; add this row to its 'Teams and tenants' table (in the same pull request) and run again:\n| hooli | — | tenant | <who the tenant is> | @sluice/platform | — |",
      ],
      [
        ["orders"],
        "tenant name 'orders' is a component term of glossary.md, not a tenant; pick a term of kind tenant",
      ],
      [
        ["initech", "--queue", "ordrs"],
        "--queue 'ordrs': 'ordrs': 'ordrs' is not a glossary term; did you mean 'orders'?",
      ],
      [["initech", "--queue", "orders", "--queue", "orders"], "--queue 'orders' given twice"],
      [
        ["initech", "--repo", "https://github.com/initech/*"],
        "--repo 'https://github.com/initech/*': expected a Git URL",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await run(dir, ...args, "--env", "dev", "--team", "initech-devs");
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain(`sluice tenant add: ${message}`);
    }
    const badTeam = await run(dir, "initech", "--env", "dev", "--team", "Initech Devs");
    expect(badTeam.stderr).toContain(
      "--team 'Initech Devs': expected a GitHub team as org/team-slug or team-slug",
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses an unknown environment and missing arguments", async () => {
    const dir = scratch();
    expect(await run(dir, "initech", "--env", "qa", "--team", "x")).toMatchObject({
      code: 2,
      stderr: "sluice tenant add: --env: unknown environment 'qa'; expected one of dev, staging, prod\n",
    });
    expect((await run(dir, "initech", "--team", "x")).stderr).toContain("--env is required");
    expect((await run(dir, "initech", "--env", "dev")).stderr).toContain("--team is required");
    expect((await run(dir, "--env", "dev", "--team", "x")).stderr).toContain(
      "give exactly one tenant name, got none",
    );
    rmSync(join(dir, "environments", "prod.ts"));
    expect((await run(dir, "initech", "--env", "prod", "--team", "x")).stderr).toContain(
      "environments/prod.ts: no such file (is 'prod' an environment here?)",
    );
    const outside = mkdtempSync(join(tmpdir(), "sluice-no-repo-"));
    dirs.push(outside);
    expect((await run(outside, "initech", "--env", "dev", "--team", "x")).stderr).toContain(
      "not inside a Sluice repository",
    );
  });
});

describe("the edits", () => {
  const tenant = { name: "initech", team: "example-org/initech-devs", queues: [], repos: [] };

  it("add below an empty or null tenants: key, and before a following key, leaving the rest as it was", () => {
    expect(insertIntoValues("v.yaml", "apps: {}\ntenants: {}\n", tenant)).toBe(
      "apps: {}\ntenants:\n  initech:\n    team: example-org/initech-devs\n",
    );
    expect(insertIntoValues("v.yaml", "tenants:\napps: { a: [1] }\n", tenant)).toBe(
      "tenants:\n  initech:\n    team: example-org/initech-devs\napps: { a: [1] }\n",
    );
    const text = "tenants:\n  acme:\n    team: a/b # owner\n\n# The apps.\napps:\n  x: { enabled: true }\n";
    expect(insertIntoValues("v.yaml", text, tenant)).toBe(
      "tenants:\n  acme:\n    team: a/b # owner\n  initech:\n    team: example-org/initech-devs\n\n# The apps.\napps:\n  x: { enabled: true }\n",
    );
    expect(() => insertIntoValues("v.yaml", "tenants: { acme: { team: a/b } }\n", tenant)).toThrow(
      "v.yaml: tenants must be a block map (one tenant a key) to add to",
    );
    expect(() => insertIntoValues("v.yaml", "tenants:\n  - acme\n  x: [\n", tenant)).toThrow(
      /^v\.yaml:\d+: not valid YAML/,
    );
  });

  it("refuse an environment file without exactly one tenants array, or one it cannot edit safely", () => {
    expect(() => insertIntoConfig("e.ts", "export const x = { queues: [] };\n", tenant)).toThrow(
      "e.ts: no `tenants: [...]` array to add to; add `tenants: [],` to the environment object first",
    );
    const two = '  tenants: [{ name: "a", team: "t" }, { name: "b", team: "t" }],\n';
    expect(() => insertIntoConfig("e.ts", two, tenant)).toThrow(
      "e.ts:1: cannot add safely to this tenants array; write it one tenant a line (`npm run format`) and run again",
    );
    expect(() => insertIntoConfig("e.ts", '  tenants: [{ name: "a" ', tenant)).toThrow(
      "e.ts: the tenants array does not close",
    );
    // Brackets inside strings and comments do not end the array; a missing comma after the last element is added.
    const tricky = '  tenants: [\n    { name: "a", team: "x]" } // ]\n  ],\n';
    expect(insertIntoConfig("e.ts", tricky, tenant)).toBe(
      '  tenants: [\n    { name: "a", team: "x]" }, // ]\n    { name: "initech", team: "example-org/initech-devs" },\n  ],\n',
    );
  });
});

describe("unifiedDiff", () => {
  it("prints hunks with three lines of context, removals before additions, like diff -u", () => {
    const a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    const b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n";
    expect(unifiedDiff("f", a, b)).toBe(
      "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n",
    );
    expect(unifiedDiff("f", a, a)).toBe("");
    expect(unifiedDiff("f", "", "x\n")).toBe("--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  });
});
