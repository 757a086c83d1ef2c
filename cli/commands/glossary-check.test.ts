import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_GLOSSARY } from "../../core/glossary/test/fixture.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

/** A scratch repository with the fixture glossary and the given files. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-glossary-"));
  writeFileSync(join(dir, "glossary.md"), FIXTURE_GLOSSARY);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function run(cwd: string, ...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(["glossary", "check", ...args], io.io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const cleanStack = JSON.stringify({
  resource: { aws_sqs_queue: { q: { name: "dev-orders-queue", tags: { Name: "dev-orders-queue" } } } },
});

describe("sluice glossary check", () => {
  it("exits 0 on clean synthesized output, skipping cdktf's own manifest", async () => {
    const dir = repo({
      "cdktf.out/manifest.json": '{"version":"0.21.0"}',
      "cdktf.out/stacks/dev/cdk.tf.json": cleanStack,
    });
    const r = await run(dir, "cdktf.out");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toContain("1 file(s) clean");
  });

  it("reports every name of a file that breaks a limit or uses a non-glossary token, and exits 1", async () => {
    const names = [
      `iam-role dev-${"app-".repeat(15)}role`,
      `sqs-queue dev-${"app-".repeat(19)}queue`,
      "sqs-fifo-queue dev-orders-queue",
      "rds-identifier dev--db",
      "rds-identifier dev-db-",
      "rds-identifier 1dev-db",
      `eks-cluster dev-${"app-".repeat(24)}cluster`,
      "s3-bucket dev_state",
      "s3-bucket dev..state",
      "s3-bucket xn--dev-state",
      "alb dev-app-orders-repository-queue-1",
      "target-group dev-app-orders-repository-queue-1",
      `cognito-user-pool dev-${"app-".repeat(31)}pool`,
      "k8s-namespace Dev-Orders",
      `k8s-label-value ${"app-".repeat(16)}db`,
      `helm-release dev-${"app-".repeat(12)}db`,
      "tag-key aws:owner",
      `tag-value ${"v".repeat(257)}`,
      "generic dev-orderz-queue",
      "generic production-db",
    ];
    const dir = repo({ "bad.names": `${names.join("\n")}\n` });
    const r = await run(dir, "--format", "json", "bad.names");
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout) as { findings: { name: string; line: number; rule: string }[] };
    names.forEach((line, i) => {
      const name = line.slice(line.indexOf(" ") + 1);
      expect(
        findings.filter((f) => f.name === name && f.line === i + 1),
        line,
      ).not.toEqual([]);
    });
    expect(findings.find((f) => f.name === "dev-orderz-queue")).toMatchObject({
      rule: "unknown-token",
      suggestion: "dev-orders-queue",
      target: "generic",
      file: "bad.names",
    });
  });

  it("prints file:line, rule and suggestion in text format and checks the PR title", async () => {
    const dir = repo({ "docs/x.md": "Line one.\nDeploy to prd first.\n" });
    const r = await run(dir, "--title", "Scale k8s nodes", "docs");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "docs/x.md:2: [deprecated-synonym] 'prd' is a deprecated synonym of the glossary term 'prod' (suggestion: prod)",
    );
    expect(r.stdout).toContain("pull request title:1: [deprecated-synonym] 'k8s'");
  });

  it("exits 2 with file:line for unusable input, never a stack trace", async () => {
    const dir = repo({
      "broken.json": '{\n "resource": ,\n}',
      "odd.csv": "a,b",
      "cdktf.out/manifest.json": '{"version":"0.21.0"}',
    });
    for (const [args, pattern] of [
      [["cdktf.out"], /cdktf\.out: nothing to check in this directory/],
      [["broken.json"], /broken\.json(:\d+)?: not valid JSON/],
      [["odd.csv"], /odd\.csv: cannot check this kind of file/],
      [["missing"], /missing: no such file or directory/],
      [["--format", "xml", "broken.json"], /--format must be one of text, json, github/],
      [["--bogus"], /Unknown option '--bogus'/],
      [[], /give at least one path/],
    ] as const) {
      const r = await run(dir, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("exits 2 naming file:line when the glossary itself is malformed", async () => {
    const dir = repo({ "ok.names": "generic dev-db\n" });
    writeFileSync(join(dir, "other.md"), FIXTURE_GLOSSARY.replace("| queue |", "| db |"));
    const r = await run(dir, "--glossary", "other.md", "ok.names");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other\.md:13: duplicate term 'db'/);
  });

  it("reads the repository's glossary.md and passes the project's own docs of naming", async () => {
    const r = await run(process.cwd(), "glossary.md", "docs/glossary.md");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("finds the glossary at the repository root, not a documentation page of the same name in a subfolder", async () => {
    const dir = repo({
      ".git/HEAD": "ref: refs/heads/main\n",
      "docs/glossary.md": "# How the glossary works\n\nSee ../glossary.md; 'production' is deprecated.\n",
      "docs/names.names": "generic dev-orders-queue\ngeneric dev-ordrs-queue\n",
    });
    const r = await run(join(dir, "docs"), "names.names");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("names.names:2: [unknown-token]");
  });

  it("says so when the repository root has no glossary.md", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-glossary-"));
    mkdirSync(join(dir, ".git"));
    mkdirSync(join(dir, "docs"));
    writeFileSync(join(dir, "docs", "glossary.md"), "# Not the glossary\n");
    writeFileSync(join(dir, "docs", "a.names"), "generic dev-db\n");
    const r = await run(join(dir, "docs"), "a.names");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no glossary.md at the repository root ${dir}; pass --glossary PATH`);
  });

  it("checks a plan of 60,000 resources with hundreds of thousands of findings (stack overflow before)", async () => {
    // Shaped like the 29 MB, 58,000-resource plan that overflowed: nested modules, several names per
    // resource, each with a token outside the glossary, and one deeply nested attribute value.
    // (Written by hand: JSON.stringify itself recurses, and overflows on 5,000 levels.)
    const deep = `${'{"nested":'.repeat(5_000)}"leaf"${"}".repeat(5_000)}`;
    const changes = Array.from({ length: 60_000 }, (_, i) => {
      const address = `module.acme.module.orders_${i % 50}.aws_sqs_queue.q${i}`;
      const after = {
        name: `prod-acme-ordrs-queue-${i}`,
        tags: { Name: `prod-acme-ordrs-${i}`, Component: "ordrs" },
      };
      const change = {
        address,
        mode: "managed",
        type: "aws_sqs_queue",
        name: `q${i}`,
        change: { actions: ["create"], before: null, after },
      };
      const text = JSON.stringify(change);
      return i === 0 ? text.replace('"after":{', `"after":{"policy":${deep},`) : text;
    });
    const plan = `{"format_version":"1.2","resource_changes":[\n${changes.join(",\n")}\n]}`;
    const dir = repo({ "plan.json": plan });
    const r = await run(dir, "--format", "json", "plan.json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as { name: string; line?: number }[];
    expect(findings.length).toBe(3 * 60_000);
    expect(findings.find((f) => f.name === "ordrs")).toMatchObject({ line: 2 });
    expect(findings.find((f) => f.name === "prod-acme-ordrs-queue-59999")).toMatchObject({ line: 60_001 });
  }, 120_000);

  it("prints GitHub Actions annotations with --format github: file, line, rule and message", async () => {
    const dir = repo({ "a.names": "generic dev-orders-queue\ngeneric dev-ordrs-queue\n" });
    const r = await run(dir, "--format", "github", "--title", "Fix production", "a.names");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      "::error title=glossary/deprecated-synonym::'production' is a deprecated synonym of the glossary term 'prod' (suggestion: prod)",
      "::error file=a.names,line=2,title=glossary/unknown-token::'dev-ordrs-queue': 'ordrs' is not a glossary term; did you mean 'orders'? Use a term from glossary.md or add one there. (suggestion: dev-orders-queue)",
      "glossary check: 2 violation(s) in 1 file(s) checked",
      "",
    ]);
  });
});
