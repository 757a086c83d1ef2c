import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMap, isScalar, parseDocument, stringify } from "yaml";
import { NameChecker } from "../../core/glossary/check.ts";
import { GlossaryError, parseGlossary } from "../../core/glossary/parse.ts";
import { organisation } from "../../environments/shared.ts";
import { type Command, ExitCode, parseOptions, UserError } from "../command.ts";
import { unifiedDiff } from "../line-diff.ts";

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
const TOKEN = /^[a-z][a-z0-9]*$/;
const TEAM = /^(?:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/)?([a-z0-9][a-z0-9_-]*)$/;
const REPO = /^(https:\/\/[^\s*]+|git@[^\s*]+:[^\s*]+)\.git$/;
/** biome's line width (biome.json): a longer entry is written one field a line. */
const LINE_WIDTH = 110;

/** What `sluice tenant add` asks for, checked. */
export interface NewTenant {
  readonly name: string;
  /** "org/team-slug". */
  readonly team: string;
  readonly queues: readonly string[];
  readonly repos: readonly string[];
}

/** One file a command would change: its path (repository-relative), text before and after. */
export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export const tenantAdd: Command = {
  path: ["tenant", "add"],
  summary: "Onboard a tenant: add it to an environment's config and its gitops/ values (one pull request)",
  help: `Usage: sluice tenant add <name> --env ENV --team ORG/TEAM [--queue NAME]... [--repo URL]... [--dry-run]

Writes the data change that onboards a tenant of the platform to one environment (docs/tenants.md):
  environments/<env>.ts          the tenant in \`tenants: [...]\`: its Cognito app client and user group
                                 <env>-<name>, and its queues <env>-<name>-<queue>
  gitops/envs/<env>/values.yaml  the tenant under \`tenants:\`: its namespace <env>-<name> with quota,
                                 limits and default-deny network policies, and its Argo CD AppProject
Only lines are added; comments and formatting are kept. The diff of each file is printed.

<name> must be a term of kind tenant in glossary.md (add its row to the 'Teams and tenants' table in the
same pull request first). Run it from anywhere inside the repository.

Options:
  --env ENV        dev, staging or prod
  --team TEAM      GitHub team owning the tenant: org/team-slug, or team-slug in ${organisation.repository.split("/")[0]}
  --queue NAME     a queue of the tenant (a glossary term); repeat for more
  --repo URL       a Git repository (ending in .git) its Argo CD applications may sync from; repeat for more
                   (default: this platform repository)
  --dry-run        print the diff, write nothing

Exit codes: 0 written (or would be), 2 refused: bad name, team, queue or repository, unknown
environment, a tenant of that name already there, or a file it cannot edit safely.

Example:
  sluice tenant add initech --env dev --team example-org/initech-devs --queue orders`,
  async run(args, io) {
    const { values, positionals } = parseOptions("tenant add", {
      args: [...args],
      allowPositionals: true,
      options: {
        env: { type: "string" },
        team: { type: "string" },
        queue: { type: "string", multiple: true },
        repo: { type: "string", multiple: true },
        "dry-run": { type: "boolean" },
      },
    });
    if (positionals.length !== 1)
      throw new UserError(
        `give exactly one tenant name, got ${positionals.length === 0 ? "none" : `'${positionals.join(" ")}'`}; see \`sluice tenant add --help\``,
      );
    const env = values.env;
    if (env === undefined) throw new UserError("--env is required (dev, staging or prod)");
    if (!(ENVIRONMENTS as readonly string[]).includes(env))
      throw new UserError(`--env: unknown environment '${env}'; expected one of ${ENVIRONMENTS.join(", ")}`);
    if (values.team === undefined) throw new UserError("--team is required (a GitHub team, org/team-slug)");

    const root = repositoryRoot(io.cwd);
    const tenant = checkTenant(
      {
        name: positionals[0] as string,
        team: values.team,
        queues: values.queue ?? [],
        repos: values.repo ?? [],
      },
      env,
      readGlossary(root),
    );
    const changes = addTenant(root, env, tenant);
    if (!values["dry-run"]) for (const c of changes) writeFileSync(join(root, c.path), c.after);
    for (const c of changes) io.stdout(unifiedDiff(c.path, c.before, c.after));
    io.stdout(
      values["dry-run"]
        ? `dry run: nothing written; without --dry-run this adds tenant ${tenant.name} to ${env}\n`
        : `Added tenant ${tenant.name} to ${env} (${changes.map((c) => c.path).join(", ")}).\n` +
            "Next: `sluice env check` and `npm test`, then open a pull request (docs/tenants.md).\n",
    );
    return ExitCode.ok;
  },
};

/** The nearest directory from `cwd` up that holds environments/ and gitops/envs/. */
function repositoryRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, "environments")) && existsSync(join(dir, "gitops", "envs"))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new UserError("not inside a Sluice repository (no environments/ and gitops/envs/ here or above)");
    dir = parent;
  }
}

function readGlossary(root: string): NameChecker {
  const path = join(root, "glossary.md");
  if (!existsSync(path)) throw new UserError(`no glossary.md at the repository root ${root}`);
  try {
    return new NameChecker(parseGlossary(readFileSync(path, "utf8"), "glossary.md"));
  } catch (error) {
    if (error instanceof GlossaryError) throw new UserError(error.message);
    throw error;
  }
}

/** The request checked against the naming rules; the team qualified with the organisation when bare. */
export function checkTenant(raw: NewTenant, env: string, checker: NameChecker): NewTenant {
  const { name } = raw;
  if (!TOKEN.test(name))
    throw new UserError(
      `tenant name '${name}': expected one lowercase glossary term (letters and digits, starting with a letter)`,
    );
  const term = checker.glossary.tokens.get(name);
  if (term === undefined)
    throw new UserError(
      `tenant name '${name}' is not a term of glossary.md; add this row to its 'Teams and tenants' table ` +
        `(in the same pull request) and run again:\n| ${name} | — | tenant | <who the tenant is> | @sluice/platform | — |`,
    );
  if (term.kind !== "tenant")
    throw new UserError(
      `tenant name '${name}' is a ${term.kind} term of glossary.md, not a tenant; pick a term of kind tenant`,
    );
  const namespace = checker.check({ file: "--name", name: `${env}-${name}`, target: "k8s-namespace" });
  if (namespace[0]) throw new UserError(`tenant name '${name}': namespace ${namespace[0].message}`);

  const team = TEAM.exec(raw.team);
  if (!team)
    throw new UserError(
      `--team '${raw.team}': expected a GitHub team as org/team-slug or team-slug (lowercase slug)`,
    );
  const org = team[1] ?? organisation.repository.split("/")[0];

  const seen = new Set<string>();
  for (const queue of raw.queues) {
    if (!TOKEN.test(queue))
      throw new UserError(`--queue '${queue}': expected one lowercase glossary term (letters and digits)`);
    const finding = checker.check({ file: "--queue", name: queue, target: "generic" })[0];
    if (finding) throw new UserError(`--queue '${queue}': ${finding.message}`);
    if (seen.has(queue)) throw new UserError(`--queue '${queue}' given twice`);
    seen.add(queue);
  }
  for (const repo of raw.repos) {
    if (!REPO.test(repo))
      throw new UserError(
        `--repo '${repo}': expected a Git URL ending in .git (https:// or git@), no wildcards`,
      );
  }
  return { name, team: `${org}/${team[2]}`, queues: raw.queues, repos: raw.repos };
}

/** The two edits that onboard `tenant` to `env`, computed without writing; throws a UserError to refuse. */
export function addTenant(root: string, env: string, tenant: NewTenant): FileChange[] {
  const configPath = `environments/${env}.ts`;
  const valuesPath = `gitops/envs/${env}/values.yaml`;
  const read = (path: string) => {
    const full = join(root, path);
    if (!existsSync(full)) throw new UserError(`${path}: no such file (is '${env}' an environment here?)`);
    return readFileSync(full, "utf8");
  };
  const config = read(configPath);
  const values = read(valuesPath);
  return [
    { path: configPath, before: config, after: insertIntoConfig(configPath, config, tenant) },
    { path: valuesPath, before: values, after: insertIntoValues(valuesPath, values, tenant) },
  ];
}

function configFields(tenant: NewTenant): string[] {
  const fields = [`name: ${JSON.stringify(tenant.name)}`, `team: ${JSON.stringify(tenant.team)}`];
  if (tenant.queues.length > 0)
    fields.push(`queues: [${tenant.queues.map((q) => `{ name: ${JSON.stringify(q)} }`).join(", ")}]`);
  return fields;
}

/** The tenant as one element of a `tenants: [...]` written one element a line, in biome's format. */
function configEntry(tenant: NewTenant, indent: string): string {
  const fields = configFields(tenant);
  const oneLine = `${indent}{ ${fields.join(", ")} },`;
  if (oneLine.length <= LINE_WIDTH) return oneLine;
  return [`${indent}{`, ...fields.map((f) => `${indent}  ${f},`), `${indent}},`].join("\n");
}

/**
 * Adds the tenant to the `tenants: [...]` array of an environment file: a line before its closing
 * bracket (the array written one element a line, as biome writes two or more tenants), or the array
 * opened up when it is empty or holds one tenant on its line.
 */
export function insertIntoConfig(path: string, text: string, tenant: NewTenant): string {
  const matches = [...text.matchAll(/^([ \t]*)tenants:\s*\[/gm)];
  if (matches.length !== 1)
    throw new UserError(
      matches.length === 0
        ? `${path}: no \`tenants: [...]\` array to add to; add \`tenants: [],\` to the environment object first`
        : `${path}: ${matches.length} \`tenants: [\` arrays; expected exactly one`,
    );
  const match = matches[0] as RegExpExecArray;
  const indent = match[1] as string;
  const open = (match.index ?? 0) + match[0].length - 1;
  const { close, last } = closingBracket(path, text, open);
  const inside = text.slice(open + 1, close);
  if (new RegExp(`\\bname:\\s*["'\`]${tenant.name}["'\`]`).test(inside))
    throw new UserError(`${path}: tenant '${tenant.name}' is already in tenants; nothing added`);
  const line = (offset: number) => text.slice(0, offset).split("\n").length;
  const element = `${indent}  `;

  if (inside.trim() === "") {
    // One tenant: biome keeps it on the array's line when it fits.
    const single = `tenants: [{ ${configFields(tenant).join(", ")} }],`;
    const closeEnd = text[close + 1] === "," ? close + 2 : close + 1;
    const replacement =
      indent.length + single.length <= LINE_WIDTH
        ? single
        : `tenants: [\n${configEntry(tenant, element)}\n${indent}],`;
    return text.slice(0, match.index ?? 0) + indent + replacement + text.slice(closeEnd);
  }
  const closeLineStart = text.lastIndexOf("\n", close) + 1;
  if (text.slice(closeLineStart, close).trim() === "") {
    // One element a line: a line before the closing bracket's, with a comma after the last element if it has none.
    const comma = text[last] === "," || text[last] === "[" ? 0 : 1;
    const edited = comma ? `${text.slice(0, last + 1)},${text.slice(last + 1)}` : text;
    const at = closeLineStart + comma;
    return `${edited.slice(0, at)}${configEntry(tenant, element)}\n${edited.slice(at)}`;
  }
  if (line(open) === line(close) && !/}\s*,\s*{/.test(inside)) {
    // One tenant on the array's line: biome writes two or more one a line.
    const closeEnd = text[close + 1] === "," ? close + 2 : close + 1;
    return (
      `${text.slice(0, open + 1)}\n${element}${inside.trim().replace(/,$/, "")},\n` +
      `${configEntry(tenant, element)}\n${indent}],${text.slice(closeEnd)}`
    );
  }
  throw new UserError(
    `${path}:${line(close)}: cannot add safely to this tenants array; write it one tenant a line (\`npm run format\`) and run again`,
  );
}

/**
 * Offset of the `]` closing the `[` at `open`, and of the last character before it that is code (not
 * blank, not a comment), skipping strings and comments.
 */
function closingBracket(path: string, text: string, open: number): { close: number; last: number } {
  let depth = 0;
  let last = open;
  for (let i = open; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
      last = i;
    } else if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i === -1) break;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      if (i === 0) break;
    } else if (c === "[" || c === "{" || c === "(") {
      depth++;
      last = i;
    } else if (c === "]" || c === "}" || c === ")") {
      depth--;
      if (depth === 0) {
        if (c !== "]") break;
        return { close: i, last };
      }
      last = i;
    } else if (c.trim() !== "") last = i;
  }
  throw new UserError(`${path}: the tenants array does not close; fix the file's syntax first`);
}

/**
 * Adds the tenant under `tenants:` of an environment's values file, found with the yaml Document API;
 * the text is edited only at that point, so every other line, comment and flow style stays as it was.
 */
export function insertIntoValues(path: string, text: string, tenant: NewTenant): string {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = text.slice(0, error.pos[0]).split("\n").length;
    throw new UserError(`${path}:${line}: not valid YAML: ${error.message.split("\n")[0]}`);
  }
  if (!isMap(doc.contents)) throw new UserError(`${path}: expected a map at the top (apps:, tenants:)`);
  const entry: Record<string, unknown> = { team: tenant.team };
  if (tenant.repos.length > 0) entry.sourceRepos = [...tenant.repos];
  const block = (indent: string) =>
    stringify({ [tenant.name]: entry }, { lineWidth: 0 })
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => `${indent}${l}`)
      .join("\n");

  const tenants = doc.contents.get("tenants", true);
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (tenants === undefined && !doc.contents.has("tenants")) {
    return `${body}\n# Tenants (docs/tenants.md), added by \`sluice tenant add\`.\ntenants:\n${block("  ")}\n`;
  }
  const empty =
    (isScalar(tenants) && tenants.value === null) || (isMap(tenants) && tenants.items.length === 0);
  if (empty) {
    // `tenants:` or `tenants: {}`: the entry goes below the key, as a block.
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "tenants");
    const keyStart = isScalar(pair?.key) ? (pair.key.range?.[0] ?? 0) : 0;
    const lineEnd = text.indexOf("\n", keyStart);
    const end = lineEnd === -1 ? text.length : lineEnd;
    const line = text.slice(keyStart, end).replace(/\s*(\{\s*\}|~|null)?\s*(#.*)?$/, "");
    if (line !== "tenants:") throw new UserError(`${path}: cannot add below '${text.slice(keyStart, end)}'`);
    const indent = " ".repeat(keyStart - (text.lastIndexOf("\n", keyStart - 1) + 1) + 2);
    return `${text.slice(0, keyStart)}tenants:\n${block(indent)}${text.slice(end)}`;
  }
  if (!isMap(tenants) || tenants.flow)
    throw new UserError(`${path}: tenants must be a block map (one tenant a key) to add to`);
  if (tenants.has(tenant.name))
    throw new UserError(`${path}: tenant '${tenant.name}' is already under tenants; nothing added`);
  const first = tenants.items[0]?.key;
  const keyStart = isScalar(first) ? (first.range?.[0] ?? 0) : 0;
  const indent = " ".repeat(keyStart - (text.lastIndexOf("\n", keyStart - 1) + 1));
  // After the map's last non-blank character, on a line of its own.
  const mapEnd = tenants.range?.[1] ?? text.length;
  const lastChar = text.slice(0, mapEnd).search(/\S\s*$/);
  const lineEnd = text.indexOf("\n", lastChar);
  const at = lineEnd === -1 ? text.length : lineEnd;
  return `${text.slice(0, at)}\n${block(indent)}${text.slice(at)}${lineEnd === -1 ? "\n" : ""}`;
}
