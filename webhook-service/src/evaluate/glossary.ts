import {
  checkPullRequest,
  GlossaryError,
  type GlossaryFinding,
  kindByPath,
  NameChecker,
  type NameUse,
  parseGlossary,
} from "../../../core/glossary/index.ts";
import type { GitHubClient } from "../github/app.ts";
import { readFileAt } from "../github/pull-request.ts";

/** Changed files whose content the glossary check reads, fetched this many at a time. */
const FETCH_CONCURRENCY = 8;

export interface GlossaryOutcome {
  readonly findings: GlossaryFinding[];
  /** Set when the check could not run as it should (malformed base glossary): the decision fails closed. */
  readonly error?: string;
  readonly warning?: string;
}

/** A changed file as the glossary check reads it: its content at the head SHA, none when removed. */
export interface ChangedFile {
  readonly path: string;
  readonly content?: string;
}

/**
 * The content at the head SHA of the changed files the glossary check reads (files of a kind it knows, and
 * glossary.md itself). Fetched as soon as the file list is known, beside the evaluation's other reads.
 */
export async function readChangedFiles(
  octokit: GitHubClient,
  repository: string,
  headSha: string,
  files: readonly { filename: string; status: string }[],
): Promise<ChangedFile[]> {
  const wanted = files.filter(
    (f) => f.filename === "glossary.md" || kindByPath(f.filename) !== "unrecognized",
  );
  const changedFiles: ChangedFile[] = [];
  for (let i = 0; i < wanted.length; i += FETCH_CONCURRENCY) {
    const batch = wanted.slice(i, i + FETCH_CONCURRENCY);
    const contents = await Promise.all(
      batch.map((f) =>
        f.status === "removed" ? undefined : readFileAt(octokit, repository, f.filename, headSha),
      ),
    );
    batch.forEach((f, j) => {
      const content = contents[j];
      changedFiles.push(content === undefined ? { path: f.filename } : { path: f.filename, content });
    });
  }
  return changedFiles;
}

/**
 * The glossary check of a pull request: names in its changed files (their content at the head SHA) and in
 * its plan, judged by glossary.md of the base branch.
 */
export function glossaryCheck(input: {
  title: string;
  baseGlossary: string | undefined;
  changedFiles: readonly ChangedFile[];
  planNames: readonly NameUse[];
}): GlossaryOutcome {
  if (input.baseGlossary === undefined) {
    return { findings: [], warning: "no glossary.md on the base branch: names were not checked" };
  }
  try {
    const result = checkPullRequest({
      baseGlossary: input.baseGlossary,
      title: input.title,
      changedFiles: [...input.changedFiles],
    });
    const findings = [...result.findings];
    if (input.planNames.length > 0) {
      const checker = new NameChecker(parseGlossary(input.baseGlossary));
      for (const use of input.planNames) findings.push(...checker.check(use));
    }
    return { findings };
  } catch (error) {
    if (error instanceof GlossaryError) {
      return { findings: [], error: `glossary.md on the base branch is malformed: ${error.message}` };
    }
    throw error;
  }
}
