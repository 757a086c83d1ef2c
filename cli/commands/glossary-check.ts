import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { NameChecker } from "../../core/glossary/check.ts";
import { checkFile, kindByPath, UnusableInputError } from "../../core/glossary/files.ts";
import type { GlossaryFinding } from "../../core/glossary/findings.ts";
import type { Glossary } from "../../core/glossary/glossary.ts";
import { GlossaryError, parseGlossary } from "../../core/glossary/parse.ts";
import { type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { formatAnnotation } from "../github-annotations.ts";
import { readTextFileSync } from "../read-text.ts";

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);

export const glossaryCheck: Command = {
  path: ["glossary", "check"],
  summary: "Check names in Terraform JSON, plans, YAML and docs against glossary.md",
  help: `Usage: sluice glossary check [--glossary PATH] [--format text|json|github] [--title TEXT] <path...>

Checks every name against the naming glossary and its target's limits (length, characters).

Each path is a file or a directory (searched recursively, skipping node_modules, .git, .terraform):
  *.json            synthesized Terraform JSON (cdktf.out) or a plan (terraform show -json)
  *.yaml, *.yml     Kubernetes / Argo CD manifests (metadata names, namespaces, labels, releases)
  *.md, *.txt       prose: deprecated synonyms only (e.g. 'production' → 'prod')
  *.names           one 'TARGET NAME' per line, e.g. 's3-bucket dev-state-tfstate'
Inside a directory, JSON that is neither Terraform nor a plan (e.g. manifest.json) and Helm templates
(YAML with {{ }}; check their rendered output instead) are skipped; a directory with nothing left to
check is unusable input (exit 2).

Options:
  --glossary PATH   Glossary to check against (default: glossary.md at the root of the git repository;
                    outside one, in the current directory or the nearest parent that has one)
  --format FORMAT   text (default), json: {"findings":[{"file","line"?,"name","target","rule","message","suggestion"?}]},
                    or github: one GitHub Actions error annotation a finding, on its file and line
  --title TEXT      Also check a pull request title for deprecated synonyms

Exit codes: 0 no violations, 1 violations found, 2 unusable input or glossary.

Examples:
  sluice glossary check cdktf.out
  sluice glossary check --format json plan.json gitops docs`,
  async run(args, io) {
    const { values, positionals } = parseOptions("glossary check", {
      args: [...args],
      allowPositionals: true,
      options: { glossary: { type: "string" }, format: { type: "string" }, title: { type: "string" } },
    });
    const format = oneOf("format", values.format, ["text", "json", "github"], "text");
    if (positionals.length === 0 && values.title === undefined) {
      throw new UserError(
        "give at least one path to check (or --title). Run `sluice glossary check --help`.",
      );
    }

    const glossaryPath = values.glossary ? resolve(io.cwd, values.glossary) : findGlossary(io.cwd);
    const glossary = loadGlossary(glossaryPath, io.cwd);
    const checker = new NameChecker(glossary);

    const findings: GlossaryFinding[] = [];
    if (values.title !== undefined)
      findings.push(...checker.checkText(values.title, "pull request title", "pr-title"));
    let checked = 0;
    for (const arg of positionals) {
      const absolute = resolve(io.cwd, arg);
      if (!existsSync(absolute)) throw new UserError(`${arg}: no such file or directory`);
      const explicit = !statSync(absolute).isDirectory();
      const checkedBefore = checked;
      for (const file of explicit ? [absolute] : walk(absolute)) {
        if (file === glossaryPath) continue;
        const display = relative(io.cwd, file) || file;
        if (explicit && kindByPath(file) === "unrecognized") {
          throw new UserError(
            `${display}: cannot check this kind of file; expected .json, .yaml, .yml, .md, .txt or .names`,
          );
        }
        let result: ReturnType<typeof checkFile>;
        try {
          result = checkFile({ path: display, content: readTextFileSync(file, display) }, checker);
        } catch (error) {
          if (error instanceof UnusableInputError) throw new UserError(error.message);
          throw error;
        }
        if (result.kind === "unrecognized") {
          if (explicit) {
            throw new UserError(
              `${display}: neither Terraform JSON, a terraform plan, nor plain YAML (a Helm template? check its rendered output)`,
            );
          }
          continue;
        }
        checked++;
        // One by one: spreading 100,000+ findings as arguments overflows the stack.
        for (const f of result.findings) findings.push(f);
      }
      // An empty cdktf.out (synth not run yet) must not pass as clean.
      if (!explicit && checked === checkedBefore) {
        throw new UserError(
          `${arg}: nothing to check in this directory (no Terraform JSON, plan, Kubernetes YAML, .md, .txt or .names file)`,
        );
      }
    }

    if (format === "json") {
      io.stdout(`${JSON.stringify({ findings }, null, 2)}\n`);
    } else if (format === "github") {
      for (const f of findings) io.stdout(`${annotation(f)}\n`);
      io.stdout(summary(findings.length, checked));
    } else {
      for (const f of findings) {
        const where = f.line !== undefined ? `${f.file}:${f.line}` : f.file;
        io.stdout(
          `${where}: [${f.rule}] ${f.message}${f.suggestion ? ` (suggestion: ${f.suggestion})` : ""}\n`,
        );
      }
      io.stdout(summary(findings.length, checked));
    }
    return findings.length === 0 ? ExitCode.ok : ExitCode.findings;
  },
};

function summary(violations: number, checked: number): string {
  return violations === 0
    ? `glossary check: ${checked} file(s) clean\n`
    : `glossary check: ${violations} violation(s) in ${checked} file(s) checked\n`;
}

/** A finding as a GitHub Actions error annotation on its file and line (a title has no file). */
function annotation(f: GlossaryFinding): string {
  const onFile = f.target !== "pr-title";
  return formatAnnotation({
    level: "error",
    ...(onFile && { file: f.file }),
    ...(onFile && f.line !== undefined && { line: f.line }),
    title: `glossary/${f.rule}`,
    message: `${f.message}${f.suggestion ? ` (suggestion: ${f.suggestion})` : ""}`,
  });
}

/**
 * The repository's glossary: glossary.md at the root of the git repository `cwd` is in, never a page of the
 * same name in a subfolder (docs/glossary.md explains the glossary, it is not one). Outside a git
 * repository: glossary.md in `cwd` or the nearest parent directory that has one.
 */
function findGlossary(cwd: string): string {
  const root = repositoryRoot(cwd);
  if (root !== undefined) {
    const candidate = join(root, "glossary.md");
    if (existsSync(candidate)) return candidate;
    throw new UserError(`no glossary.md at the repository root ${root}; pass --glossary PATH`);
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, "glossary.md");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new UserError("no glossary.md here or in any parent directory; pass --glossary PATH");
    dir = parent;
  }
}

/** The nearest directory from `cwd` up that holds `.git` (a folder, or a file in a worktree), if any. */
function repositoryRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function loadGlossary(path: string, cwd: string): Glossary {
  const display = relative(cwd, path) || path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`cannot read glossary ${display}`);
  }
  try {
    return parseGlossary(text, display);
  } catch (error) {
    if (error instanceof GlossaryError) throw new UserError(error.message);
    throw error;
  }
}

/** Every checkable file under `dir`, in a stable order. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) for (const file of walk(path)) out.push(file);
    } else if (entry.isFile() && kindByPath(entry.name) !== "unrecognized") {
      out.push(path);
    }
  }
  return out;
}
