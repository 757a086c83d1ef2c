import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";

/**
 * Offline checks for every GitHub Actions workflow in a folder: the Actions workflow schema (vendored
 * in .github/schemas, it cannot be fetched at test time), third-party actions pinned to commit SHAs,
 * and least-privilege permissions (read-only by default, `id-token: write` only where OIDC is used).
 */

type Json = Record<string, unknown>;
interface Step {
  uses?: string;
}
interface Job {
  uses?: string;
  permissions?: Json | string;
  steps?: Step[];
}
export interface Workflow {
  permissions?: Json | string;
  jobs?: Record<string, Job>;
}

/** Actions that exchange the job's OIDC token for cloud credentials. */
export const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials"];
/** Scopes a job may write, and why: OIDC, commenting on pull requests, reporting checks. */
export const WRITABLE_SCOPES = ["id-token", "pull-requests", "checks", "statuses"];

export const workflowFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Schema violations of a parsed workflow, each as `file: field.path: what was expected`. */
export function schemaProblems(schemaFile: string, workflow: unknown, file: string): string[] {
  if (!validator) {
    // The SchemaStore schema uses formats and keywords ajv's strict mode refuses; it is data, not ours to edit.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validator = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
  }
  if (validator(workflow)) return [];
  return (validator.errors ?? []).map((e: ErrorObject) => {
    const field = e.instancePath.slice(1).replace(/\//g, ".") || "(root)";
    const extra = e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
    return `${file}: ${field}: ${e.message}${extra}`;
  });
}

/**
 * `uses:` lines that are neither a local path that exists, this repository's own reusable workflow
 * (`<repository>/.github/workflows/<file>@<branch>`, when that file exists here) nor a third-party
 * action pinned to a full commit SHA with its version in a comment.
 */
export function unpinnedUses(text: string, file: string, root: string, repository: string): string[] {
  return text
    .split("\n")
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => /^\s*(-\s+)?uses:/.test(line))
    .flatMap(({ line, n }) => {
      const uses = line
        .replace(/^\s*(-\s+)?uses:\s*/, "")
        .replace(/\s+#.*$/, "")
        .replace(/^["']|["']$/g, "");
      if (uses.startsWith("./"))
        return existsSync(join(root, uses)) ? [] : [`${file}:${n}: ${uses} does not exist`];
      const own = new RegExp(
        `^${repository.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/(\\.github/workflows/[\\w.-]+)@`,
      ).exec(uses);
      if (own?.[1])
        return existsSync(join(root, own[1])) ? [] : [`${file}:${n}: ${uses} does not exist here`];
      return /^\s*(-\s+)?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(line)
        ? []
        : [`${file}:${n}: '${uses}' is not pinned to a commit SHA with its version in a comment`];
    });
}

const levels = (p: Json | string | undefined): Json => (typeof p === "string" ? { "*": p } : (p ?? {}));

/** Whether a job uses OIDC: a step with an OIDC action, or a call to a reusable workflow that does. */
function usesOidc(job: Job, resolveCall: (uses: string) => Workflow | undefined): boolean {
  if (job.uses) {
    const called = resolveCall(job.uses);
    // A workflow from elsewhere cannot be inspected here: it must not get a token on trust.
    return Object.values(called?.jobs ?? {}).some((j) => usesOidc(j, resolveCall));
  }
  return (job.steps ?? []).some((s) => OIDC_ACTIONS.some((a) => s.uses?.startsWith(`${a}@`)));
}

/** Permission problems: write access by default, writes outside WRITABLE_SCOPES, misplaced id-token. */
export function permissionProblems(
  workflow: Workflow,
  file: string,
  resolveCall: (uses: string) => Workflow | undefined,
): string[] {
  const out: string[] = [];
  if (workflow.permissions === undefined)
    out.push(`${file}: permissions: not set (the default may grant write)`);
  for (const [scope, level] of Object.entries(levels(workflow.permissions))) {
    if (level !== "read" && level !== "none")
      out.push(`${file}: permissions.${scope}: must be read or none, got ${String(level)}`);
  }
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    const granted = levels(job.permissions);
    for (const [scope, level] of Object.entries(granted)) {
      if (level === "write" && !WRITABLE_SCOPES.includes(scope)) {
        out.push(
          `${file}: jobs.${id}.permissions.${scope}: write is not allowed (only ${WRITABLE_SCOPES.join(", ")})`,
        );
      } else if (level !== "read" && level !== "none" && level !== "write") {
        out.push(`${file}: jobs.${id}.permissions.${scope}: ${String(level)} is not least privilege`);
      }
    }
    const oidc = usesOidc(job, resolveCall);
    if (granted["id-token"] === "write" && !oidc) {
      out.push(`${file}: jobs.${id}.permissions.id-token: write, but the job does not use OIDC`);
    }
    if (oidc && granted["id-token"] !== "write") {
      out.push(`${file}: jobs.${id}: uses OIDC without permissions.id-token: write`);
    }
  }
  return out;
}

/** Resolves `uses:` of a job to a workflow of this repository (local path or own reusable workflow). */
export function localResolver(workflowsDir: string, repository: string) {
  return (uses: string): Workflow | undefined => {
    const local =
      uses.startsWith("./.github/workflows/") || uses.startsWith(`${repository}/.github/workflows/`);
    if (!local) return undefined;
    const file = join(workflowsDir, basename(uses.replace(/@.*$/, "")));
    return existsSync(file) ? (parse(readFileSync(file, "utf8")) as Workflow) : undefined;
  };
}
