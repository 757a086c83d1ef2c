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

/**
 * The glossary check of a pull request: names in its changed files (their content at the head SHA) and in
 * its plan, judged by glossary.md of the base branch.
 */
export async function glossaryCheck(
  octokit: GitHubClient,
  input: {
    repository: string;
    headSha: string;
    title: string;
    baseGlossary: string | undefined;
    files: readonly { filename: string; status: string }[];
    planNames: readonly NameUse[];
  },
): Promise<GlossaryOutcome> {
  if (input.baseGlossary === undefined) {
    return { findings: [], warning: "no glossary.md on the base branch: names were not checked" };
  }
  const wanted = input.files.filter(
    (f) => f.filename === "glossary.md" || kindByPath(f.filename) !== "unrecognized",
  );
  const changedFiles: { path: string; content?: string }[] = [];
  for (let i = 0; i < wanted.length; i += FETCH_CONCURRENCY) {
    const batch = wanted.slice(i, i + FETCH_CONCURRENCY);
    const contents = await Promise.all(
      batch.map((f) =>
        f.status === "removed" ? undefined : readFileAt(octokit, input.repository, f.filename, input.headSha),
      ),
    );
    batch.forEach((f, j) => {
      const content = contents[j];
      changedFiles.push(content === undefined ? { path: f.filename } : { path: f.filename, content });
    });
  }
  try {
    const result = checkPullRequest({ baseGlossary: input.baseGlossary, title: input.title, changedFiles });
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
