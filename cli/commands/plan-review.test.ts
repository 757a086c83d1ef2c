import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatePlan } from "../../core/plan/test/generate-plan.ts";
import { planText } from "../../core/plan/test/plans.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

const plan = planText([
  { type: "aws_db_instance", name: "main", actions: ["delete"], before: { id: "db" } },
  { actions: ["create"], after: { ami: "ami-1" } },
]);

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-plan-review-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("sluice plan review", () => {
  it("reviews a file as Markdown by default and exits 0 even with findings", async () => {
    const m = memoryIo({ cwd: dirWith({ "plan.json": plan }) });
    expect(await main(["plan", "review", "plan.json"], m.io)).toBe(0);
    expect(m.stdout).toContain("### Terraform plan review");
    expect(m.stdout).toContain("stateful-delete");
  });

  it("reads stdin with - and prints JSON or text", async () => {
    const json = memoryIo({ stdin: plan });
    expect(await main(["plan", "review", "-", "--format", "json"], json.io)).toBe(0);
    expect(JSON.parse(json.stdout).counts).toMatchObject({ create: 1, delete: 1 });
    const text = memoryIo({ stdin: plan });
    expect(await main(["plan", "review", "-", "--format=text"], text.io)).toBe(0);
    expect(text.stdout).toContain("aws_db_instance.main: destroy");
  });

  it.each([
    ["a truncated file", plan.slice(0, 200), /plan\.json: truncated JSON/],
    [
      "a truncated pretty-printed file",
      JSON.stringify(JSON.parse(plan), null, 2).slice(0, 400),
      /plan\.json: truncated JSON/,
    ],
    ["an empty file", "", /plan\.json: is empty/],
    ["a saved binary plan", "PK\u0003\u0004\u0014\u0000\u0008", /plan\.json: is a binary plan file/],
    ["a state file", '{"version":4,"serial":1,"lineage":"l","resources":[]}', /state file, not a plan/],
    ["an HTML page", "<html><body>503</body></html>", /HTML page/],
    ["CI noise around two objects", `log\n${plan}\n${plan}\nlog`, /non-JSON lines/],
    [
      "an unsupported format",
      plan.replace('"format_version":"1.2"', '"format_version":"2.0"'),
      /unsupported format_version/,
    ],
  ])("exits 2 with one line for %s", async (_name, text, message) => {
    const m = memoryIo({ cwd: dirWith({ "plan.json": text }) });
    expect(await main(["plan", "review", "plan.json"], m.io)).toBe(2);
    expect(m.stderr).toMatch(message);
    expect(m.stderr.trim().split("\n")).toHaveLength(1);
    expect(m.stdout).toBe("");
  });

  it("reviews a Terraform 1.0.0 plan whose drift entries have no address, with a warning (exit 0)", async () => {
    const raw = JSON.parse(plan) as Record<string, unknown>;
    const { address: _drop, ...drifted } = (raw.resource_changes as Record<string, unknown>[])[1] as Record<
      string,
      unknown
    >;
    const text = JSON.stringify({ ...raw, terraform_version: "1.0.0", resource_drift: [drifted] });
    const m = memoryIo({ cwd: dirWith({ "plan.json": text }) });
    expect(await main(["plan", "review", "plan.json"], m.io)).toBe(0);
    expect(m.stdout).toContain("> [!WARNING]");
    expect(m.stdout).toContain("resource_drift[0] has no address; derived aws_instance.this");
    expect(m.stderr).toBe(
      "sluice plan review: warning: plan.json: resource_drift[0] has no address; derived aws_instance.this from its module, mode, type, name and index.\n",
    );
  });

  it("writes --format json in pieces, never the whole document of a large plan at once", async () => {
    const writes: string[] = [];
    const m = memoryIo({ stdin: JSON.stringify(generatePlan({ changes: 1_500 })) });
    const io = { ...m.io, stdout: (text: string) => writes.push(text) };
    expect(await main(["plan", "review", "-", "--format", "json"], io)).toBe(0);
    const whole = writes.join("");
    expect(whole.length).toBeGreaterThan(3_000_000);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(1_200_000);
    expect(JSON.parse(whole).changes).toHaveLength(1_500);
  });

  it.each([
    ["a pipe", {}, false],
    ["a terminal", { tty: true }, true],
    ["a terminal with NO_COLOR", { tty: true, env: { NO_COLOR: "1" } }, false],
    ["a terminal with FORCE_COLOR=0", { tty: true, env: { FORCE_COLOR: "0" } }, false],
    ["a pipe with FORCE_COLOR=1", { env: { FORCE_COLOR: "1" } }, true],
    ["a pipe with NO_COLOR and FORCE_COLOR=1", { env: { NO_COLOR: "1", FORCE_COLOR: "1" } }, false],
  ])("--format text to %s: ANSI colours %s", async (_name, options, colored) => {
    const m = memoryIo({ stdin: plan, ...options });
    expect(await main(["plan", "review", "-", "--format", "text"], m.io)).toBe(0);
    expect(m.stdout.includes("\u001b[")).toBe(colored);
  });

  it("writes no ANSI escapes to a pipe as a real process", () => {
    const bin = join(process.cwd(), "cli/bin/sluice.mjs");
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    const out = spawnSync("node", [bin, "plan", "review", "-", "--format", "text"], {
      input: plan,
      encoding: "utf8",
      env,
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain("aws_db_instance.main: destroy");
    expect(out.stdout).not.toContain("\u001b[");
  });

  it("gives JSON a schemaVersion and the source path as given", async () => {
    const dir = dirWith({});
    mkdirSync(join(dir, "plans"));
    writeFileSync(join(dir, "plans", "plan.json"), plan);
    const m = memoryIo({ cwd: dir });
    expect(await main(["plan", "review", "plans/plan.json", "--format", "json"], m.io)).toBe(0);
    const json = JSON.parse(m.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(json.source).toBe("plans/plan.json");
    const real = spawnSync(
      "node",
      [join(process.cwd(), "cli/bin/sluice.mjs"), "plan", "review", "plans/plan.json", "--format", "json"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(JSON.parse(real.stdout).source).toBe("plans/plan.json");
  });

  it("writes findings as GitHub workflow annotations with --format github", async () => {
    const text = planText([
      { type: "aws_db_instance", name: "main", actions: ["delete"], before: { id: "db" } },
      {
        address: 'aws_instance.this["50%\nof: a, b"]',
        actions: ["delete"],
        before: { id: "i-1" },
      },
      { actions: ["create"], name: "new", after: { ami: "ami-1" } },
    ]);
    const m = memoryIo({ stdin: text });
    expect(await main(["plan", "review", "-", "--format", "github"], m.io)).toBe(0);
    expect(m.stdout.trimEnd().split("\n")).toEqual([
      "::error title=stateful-delete (critical)::aws_db_instance.main: destroys a RDS instance: its data or identities are lost.",
      '::warning title=resource-delete (medium)::aws_instance.this["50%25%0Aof: a, b"]: destroys aws_instance.',
      "::notice title=Terraform plan review::Plan: 1 to add, 0 to change, 2 to destroy. 2 findings.",
    ]);
  });

  it("exits 2 on bad options and missing files", async () => {
    for (const args of [
      ["--format", "yaml", "p.json"],
      [],
      ["a.json", "b.json"],
      ["--colour", "p.json"],
      ["missing.json"],
    ]) {
      const m = memoryIo({ cwd: dirWith({}) });
      expect(await main(["plan", "review", ...args], m.io)).toBe(2);
      expect(m.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("runs as a real process without a stack trace", () => {
    const dir = dirWith({ "bad.json": '{"format_version":' });
    const bin = join(process.cwd(), "cli/bin/sluice.mjs");
    const bad = spawnSync("node", [bin, "plan", "review", "bad.json"], { cwd: dir, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^sluice plan review: bad\.json: truncated JSON/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const ok = spawnSync("node", [bin, "plan", "review", "-", "--format", "json"], {
      input: plan,
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).counts.delete).toBe(1);
  });
});
