/** What a command sees of the outside world; tests pass an in-memory version. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readStdin: () => Promise<string>;
}

/** Exit codes shared by every subcommand. */
export const ExitCode = {
  ok: 0,
  /** The check ran and found violations. */
  findings: 1,
  /** The input or the invocation was unusable. */
  usage: 2,
} as const;

/** A failure the user caused and can fix: printed as one clear message, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export interface Command {
  /** Words that select the command, e.g. ["plan", "review"]. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full help text: usage line, arguments, options, examples. */
  readonly help: string;
  /** Runs the command with the arguments after its path; returns the exit code. */
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}
