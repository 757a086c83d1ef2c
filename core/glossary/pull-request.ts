import { isRecord } from "../plan/values.ts";
import { NameChecker } from "./check.ts";
import { checkFile, UnusableInputError } from "./files.ts";
import type { GlossaryFinding } from "./findings.ts";
import { GlossaryError, parseGlossary } from "./parse.ts";
import { isPlanJson, namesInPlanJson } from "./terraform-names.ts";

export interface PullRequestInput {
  /** glossary.md as on the base branch: a pull request cannot weaken the checks it is judged by. */
  readonly baseGlossary: string;
  /** Repository path of the glossary. @default "glossary.md" */
  readonly glossaryPath?: string;
  readonly title: string;
  /** Files the pull request adds or changes, with their new content; deleted files have none. */
  readonly changedFiles: readonly { readonly path: string; readonly content?: string }[];
  /**
   * The plan of the pull request (`terraform show -json` output, parsed), when there is one. Omit it when
   * there is none: anything else that is not a plan object (null, text, an array) is an `unreadable` finding.
   */
  readonly plan?: unknown;
}

export interface GlossaryChange {
  readonly path: string;
  /** Owners named by the base glossary; one of them must approve. */
  readonly owners: readonly string[];
  readonly message: string;
}

export interface PullRequestResult {
  readonly findings: GlossaryFinding[];
  /** Set when the pull request changes glossary.md itself. */
  readonly glossaryChange?: GlossaryChange;
}

/**
 * The glossary check of one pull request: names in the changed files and in the plan, deprecated
 * synonyms in the title and in changed docs. A changed or deleted glossary.md is flagged for approval by
 * the owners the base glossary names, and a changed one is validated (a malformed one is a finding).
 * Throws GlossaryError when the base glossary itself is malformed.
 */
export function checkPullRequest(input: PullRequestInput): PullRequestResult {
  const glossaryPath = input.glossaryPath ?? "glossary.md";
  const glossary = parseGlossary(input.baseGlossary, glossaryPath);
  const checker = new NameChecker(glossary);
  const findings: GlossaryFinding[] = checker.checkText(input.title, "pull request title", "pr-title");
  let glossaryChange: GlossaryChange | undefined;

  for (const file of input.changedFiles) {
    if (file.path === glossaryPath) {
      // Deleting (or renaming away) the glossary is a change to it too, and needs the same approval.
      const how = file.content === undefined ? "deleted" : "changed";
      glossaryChange = {
        path: glossaryPath,
        owners: glossary.owners,
        message: `${glossaryPath} ${how}: needs approval by one of its owners (${glossary.owners.join(", ")})`,
      };
      if (file.content === undefined) continue;
      try {
        parseGlossary(file.content, glossaryPath);
      } catch (error) {
        if (!(error instanceof GlossaryError)) throw error;
        for (const p of error.problems) {
          findings.push({
            file: p.file,
            line: p.line,
            name: glossaryPath,
            target: "glossary",
            rule: "glossary-malformed",
            message: p.message,
          });
        }
      }
      continue;
    }
    if (file.content === undefined) continue;
    try {
      // One by one: spreading a file's findings as arguments overflows the stack on a large plan.
      for (const f of checkFile({ path: file.path, content: file.content }, checker).findings)
        findings.push(f);
    } catch (error) {
      if (!(error instanceof UnusableInputError)) throw error;
      findings.push({
        file: file.path,
        name: file.path,
        target: "file",
        rule: "unreadable",
        message: error.message,
      });
    }
  }

  if (input.plan !== undefined) {
    if (isRecord(input.plan) && isPlanJson(input.plan)) {
      const uses = namesInPlanJson(input.plan, "plan");
      for (const use of uses) findings.push(...checker.check(use));
    } else {
      // A plan that is there but unreadable must not pass as "no names to check".
      findings.push({
        file: "plan",
        name: "plan",
        target: "file",
        rule: "unreadable",
        message: `plan: expected the JSON object of \`terraform show -json\`, got ${isRecord(input.plan) ? "an object with neither resource_changes, planned_values nor format_version" : Array.isArray(input.plan) ? "an array" : input.plan === null ? "null" : typeof input.plan}`,
      });
    }
  }
  return { findings, ...(glossaryChange ? { glossaryChange } : {}) };
}
