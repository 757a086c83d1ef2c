import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

/** The repository root, and the workflows shipped for users. */
export const repositoryRoot = resolve(import.meta.dirname, "../..");
export const workflowsDir = join(repositoryRoot, ".github/workflows");

/** A workflow file's text. */
export function workflowText(file: string): string {
  return readFileSync(join(workflowsDir, file), "utf8");
}

/** A workflow file parsed, typed as the caller reads it. */
export function loadWorkflow<W>(file: string): W {
  return parse(workflowText(file)) as W;
}

/** A GitHub expression as written in a workflow, e.g. gh("inputs.environment"). */
export const gh = (expression: string): string => `\${{ ${expression} }}`;
