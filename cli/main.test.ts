import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planText } from "../core/plan/test/plans.ts";
import { commands } from "./commands/index.ts";
import { loadErrorLine, main } from "./main.ts";
import { memoryIo } from "./test/memory-io.ts";

describe("sluice CLI", () => {
  it("lists every command in --help", async () => {
    const m = memoryIo();
    expect(await main(["--help"], m.io)).toBe(0);
    for (const c of commands) expect(m.stdout).toContain(c.path.join(" "));
  });

  it("rejects an unknown command with exit 2 and a hint", async () => {
    const m = memoryIo();
    expect(await main(["frobnicate"], m.io)).toBe(2);
    expect(m.stderr).toContain("unknown command 'frobnicate'");
    expect(m.stderr).toContain("sluice --help");
  });

  it("names only the mistyped command, not the arguments after it", async () => {
    const m = memoryIo();
    expect(await main(["plan", "reveiw", "plan.json"], m.io)).toBe(2);
    expect(m.stderr).toContain("unknown command 'plan reveiw'. Did you mean `sluice plan review`?");
    const n = memoryIo();
    expect(await main(["frobnicate", "plan.json"], n.io)).toBe(2);
    expect(n.stderr).toContain("unknown command 'frobnicate'.");
  });

  it("gives every command a help text", async () => {
    for (const c of commands) {
      const m = memoryIo();
      expect(await main([...c.path, "--help"], m.io)).toBe(0);
      expect(m.stdout).toMatch(/Usage: sluice /);
    }
  });

  it("runs as a real process through the package bin", () => {
    const result = spawnSync("node", ["cli/bin/sluice.mjs", "version"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = spawnSync("node", ["cli/bin/sluice.mjs", "nope"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(execFileSync("node", ["cli/bin/sluice.mjs", "--help"], { encoding: "utf8" })).toContain(
      "Commands:",
    );
  });
});

describe("sluice CLI: finding one's way", () => {
  const run = async (argv: string[]) => {
    const m = memoryIo();
    const code = await main(argv, m.io);
    return { code, stdout: m.stdout, stderr: m.stderr };
  };

  it("prints the version for --version", async () => {
    const out = await run(["--version"]);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("lists a group's subcommands for `sluice <group> --help` and for `sluice help <group>`", async () => {
    for (const argv of [
      ["rules", "--help"],
      ["help", "rules"],
    ]) {
      const out = await run(argv);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("Usage: sluice rules <command>");
      expect(out.stdout).toContain("rules check");
      expect(out.stdout).toContain("rules list");
    }
    const bare = await run(["rules"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("sluice rules: missing subcommand.");
  });

  it("prints a command's help for `sluice help <command>`", async () => {
    const out = await run(["help", "plan", "review"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage: sluice plan review /);
  });

  it.each([
    [["plan", "reveiw", "x.json"], "Did you mean `sluice plan review`?"],
    [["glosary", "check"], "Did you mean `sluice glossary check`?"],
    [["polcy"], "Did you mean `sluice policy eval`?"],
    [["verison"], "Did you mean `sluice version`?"],
    [["help", "rules", "chek"], "Did you mean `sluice rules check`?"],
  ])("suggests the command meant by %j", async (argv, hint) => {
    const out = await run(argv);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(hint);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("gives a clean one-line message for unknown flags, before or after the command", async () => {
    const before = await run(["--verison"]);
    expect(before.code).toBe(2);
    expect(before.stderr).toBe(
      "sluice: unknown option '--verison' (did you mean --version?). Options go after the command: sluice <command> [options]; run `sluice --help` for the list of commands.\n",
    );
    const after = await run(["plan", "review", "--fromat", "json", "p.json"]);
    expect(after.code).toBe(2);
    expect(after.stderr).toBe(
      "sluice plan review: Unknown option '--fromat' (did you mean --format?); see `sluice plan review --help`\n",
    );
  });

  it("lists each command with the summary its module gives", async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect([command.path, command.summary]).toEqual([entry.path, entry.summary]);
    }
  });
});

describe("sluice CLI: a broken file breaks only the command that needs it", () => {
  it("keeps --help, version and plan review working when an environment file has a syntax error", () => {
    const root = process.cwd();
    const copy = mkdtempSync(join(tmpdir(), "sluice-broken-env-"));
    try {
      // The whole checkout but its dependencies and outputs, so the copy imports exactly what the real one does.
      const skip = new Set(["node_modules", ".git", "cdktf.out"]);
      for (const entry of readdirSync(root).filter((e) => !skip.has(e))) {
        cpSync(join(root, entry), join(copy, entry), { recursive: true });
      }
      symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
      appendFileSync(join(copy, "environments/dev.ts"), "\nexport const broken = {;\n");
      const sluice = (args: string[], input?: string) =>
        spawnSync("node", [join(copy, "cli/bin/sluice.mjs"), ...args], {
          cwd: copy,
          encoding: "utf8",
          input,
        });
      const help = sluice(["--help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain("env check");
      expect(sluice(["version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      const review = sluice(["plan", "review", "-", "--format", "json"], planText([{ actions: ["create"] }]));
      expect(review.status).toBe(0);
      expect(JSON.parse(review.stdout).counts.create).toBe(1);
      const env = sluice(["env", "check"]);
      expect(env.status).toBe(2);
      expect(env.stderr).toMatch(
        /^sluice env check: cannot load the command: environments\/dev\.ts:\d+:\d+: Expected identifier but found ";"\n$/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("names the file and line of an error thrown while a module loads", () => {
    const error = new TypeError("organisation is undefined");
    error.stack = `TypeError: organisation is undefined\n    at file://${process.cwd()}/environments/dev.ts:12:7\n    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)`;
    expect(loadErrorLine(error)).toBe("environments/dev.ts:12: organisation is undefined");
  });
});
