import { createHash } from "node:crypto";

export interface PullRequestFile {
  readonly filename: string;
  readonly status: string;
  readonly previous_filename?: string;
  readonly patch?: string;
  readonly sha?: string | null;
}

/**
 * The pull request's diff digest (docs/change-control.md, freshness), from its files and patches as the
 * API returns them: like `git patch-id --stable`, hunk line numbers and whitespace are left out, so a clean
 * rebase or merge from the base branch keeps the digest, and a push that changes any line changes it.
 * A file without a patch (binary, or too large for GitHub to show) counts by its blob SHA.
 */
export function diffDigest(files: readonly PullRequestFile[]): string {
  const hash = createHash("sha256");
  const sorted = [...files].sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  for (const f of sorted) {
    hash.update(`file\0${f.filename}\0${f.previous_filename ?? ""}\0${f.status}\0`);
    if (f.patch === undefined) {
      hash.update(`blob\0${f.sha ?? ""}\0`);
      continue;
    }
    for (const line of f.patch.split("\n")) {
      if (line.startsWith("@@")) {
        hash.update("@@\0");
        continue;
      }
      hash.update(`${line.replace(/\s+/g, "")}\0`);
    }
  }
  return `sha256:${hash.digest("hex")}`;
}
