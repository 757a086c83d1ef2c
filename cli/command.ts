import { type ParseArgsConfig, parseArgs } from "node:util";
import { closest } from "./suggest.ts";

/** What a command sees of the outside world; tests pass an in-memory version. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readStdin: () => Promise<string>;
  /** True when stdout is a terminal; colour is only used there (unless FORCE_COLOR says otherwise). */
  readonly stdoutIsTTY?: boolean;
}

/**
 * Whether to write ANSI colours: never with NO_COLOR (https://no-color.org) or FORCE_COLOR=0/false,
 * always with another FORCE_COLOR value, otherwise only when stdout is a terminal.
 */
export function useColor(io: Pick<CliIo, "env" | "stdoutIsTTY">): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return io.stdoutIsTTY === true;
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

/**
 * `node:util` parseArgs in strict mode, with its errors (unknown option, missing value…) turned into a
 * UserError that points at the command's help.
 */
export function parseOptions<const T extends ParseArgsConfig>(
  command: string,
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '(-[^']*)'/.exec(message);
    if (unknown) {
      // Node adds advice about '--' for positionals that start with '-': a typo is far more likely.
      const typed = unknown[1] as string;
      const known = Object.keys(config.options ?? {}).map((name) => `--${name}`);
      const guess = closest(typed.split("=")[0] as string, known);
      message = `Unknown option '${typed}'${guess ? ` (did you mean ${guess}?)` : ""}`;
    }
    throw new UserError(`${message}; see \`sluice ${command} --help\``);
  }
}

/** The value of `--flag` when it is one of `choices`, `fallback` when it is absent; anything else is a UserError. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  const expected = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(", ")}`;
  throw new UserError(`--${flag} must be ${expected}, got '${value}'`);
}
