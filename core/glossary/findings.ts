/** A naming violation, as `sluice glossary check --format json` prints it and the policy engine reads it. */
export interface GlossaryFinding {
  /** File the name was found in (repository-relative where possible). */
  readonly file: string;
  /** 1-based line, where the input has lines. */
  readonly line?: number;
  /** The offending name, verbatim. */
  readonly name: string;
  /** The name target whose rules were applied (e.g. "sqs-queue", "text"). */
  readonly target: string;
  /** Rule id, e.g. "unknown-token", "deprecated-synonym", "too-long". */
  readonly rule: string;
  readonly message: string;
  readonly suggestion?: string;
}
