import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type CliIo, type Command, ExitCode, UserError } from "./command.ts";
import { type CommandEntry, commands } from "./commands/index.ts";
import { closest } from "./suggest.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

function rows(list: readonly CommandEntry[]): string[] {
  const width = Math.max(...list.map((c) => c.path.join(" ").length));
  return list.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`);
}

function overview(list: readonly CommandEntry[]): string {
  return [
    "sluice: change-controlled GitOps for AWS",
    "",
    "Usage: sluice <command> [options]",
    "       sluice help <command>     a command's options (as `sluice <command> --help`)",
    "       sluice --version",
    "",
    "Commands:",
    ...rows(list),
    "",
    "Run `sluice <command> --help` for a command's options.",
    "",
  ].join("\n");
}

function groupHelp(group: string, list: readonly CommandEntry[]): string {
  return [
    `Usage: sluice ${group} <command> [options]`,
    "",
    "Commands:",
    ...rows(list),
    "",
    `Run \`sluice ${group} <command> --help\` for a command's options.`,
    "",
  ].join("\n");
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(
  list: readonly CommandEntry[],
  argv: readonly string[],
): { entry: CommandEntry; rest: string[] } | undefined {
  let best: CommandEntry | undefined;
  for (const entry of list) {
    const matches = entry.path.every((word, i) => argv[i] === word);
    if (matches && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best ? { entry: best, rest: argv.slice(best.path.length) } : undefined;
}

/** "Did you mean" for words that select no command: the closest command path or group, if any is close. */
function unknownCommand(list: readonly CommandEntry[], words: readonly string[]): string {
  const typed = words.filter((w) => !w.startsWith("-"));
  const paths = list.map((c) => c.path.join(" "));
  const groups = [...new Set(list.map((c) => c.path[0] as string))];
  const group = list.filter((c) => c.path[0] === typed[0]);
  let hint: string;
  if (group.length > 0) {
    const sub = closest(
      typed.slice(0, 2).join(" "),
      group.map((c) => c.path.join(" ")),
    );
    hint = sub
      ? `Did you mean \`sluice ${sub}\`?`
      : `Subcommands of '${typed[0]}': ${group.map((c) => c.path.join(" ")).join(", ")}.`;
  } else {
    const nearGroup = closest(typed[0] ?? "", groups);
    const inGroup = list.filter((c) => c.path[0] === nearGroup);
    const guess =
      closest(typed.slice(0, 2).join(" "), paths) ??
      closest(typed.slice(0, 1).join(" "), paths) ??
      (inGroup.length === 1 ? inGroup[0]?.path.join(" ") : nearGroup);
    hint = guess ? `Did you mean \`sluice ${guess}\`?` : "Run `sluice --help` for the list of commands.";
  }
  // Commands are one or two words: what follows is the command's arguments, not part of what was mistyped.
  const command = typed.slice(0, group.length > 0 ? 2 : 1).join(" ");
  return `sluice: unknown command '${command}'. ${hint}\n`;
}

/**
 * One line for a command module that failed to load: the file, line and column when the error names
 * them (a syntax error in an environment file, say), relative to the repository, and the first line
 * of the message.
 */
export function loadErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const short = (file: string) => {
    const local = relative(ROOT, file);
    return local.startsWith("..") || isAbsolute(local) ? file : local;
  };
  // esbuild (through tsx): "Transform failed with 1 error:\n/abs/file.ts:3:10: ERROR: Expected …"
  const located = /((?:file:\/\/)?\/[^\s:]+\.[cm]?[jt]sx?):(\d+):(\d+): (?:ERROR: )?([^\n]*)/.exec(message);
  if (located) {
    const [, file, line, column, what] = located as unknown as [string, string, string, string, string];
    return `${short(file.replace(/^file:\/\//, ""))}:${line}:${column}: ${what}`;
  }
  const first = message.split("\n").find((l) => l.trim() !== "") ?? "error";
  // A runtime error while a module loads: the first frame in one of this repository's files.
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const frame of stack.matchAll(/\(?((?:file:\/\/)?\/[^\s()]+\.[cm]?[jt]sx?):(\d+):(\d+)\)?/g)) {
    const file = (frame[1] as string).replace(/^file:\/\//, "");
    if (file.includes("/node_modules/") || short(file) === file) continue;
    return `${short(file)}:${frame[2]}: ${first}`;
  }
  return first;
}

async function load(entry: CommandEntry, io: CliIo): Promise<Command | undefined> {
  try {
    return await entry.load();
  } catch (error) {
    io.stderr(`sluice ${entry.path.join(" ")}: cannot load the command: ${loadErrorLine(error)}\n`);
    return undefined;
  }
}

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";

export async function main(
  argv: readonly string[],
  io: CliIo,
  list: readonly CommandEntry[] = commands,
): Promise<number> {
  if (argv.length === 0 || isHelp(argv[0]) || (argv[0] === "help" && argv.length === 1)) {
    io.stdout(overview(list));
    return ExitCode.ok;
  }
  if (argv[0] === "--version" || argv[0] === "-V") return main(["version", ...argv.slice(1)], io, list);
  if (argv[0] === "help") {
    const words = argv.slice(1);
    const found = resolve(list, words);
    if (found) {
      const command = await load(found.entry, io);
      if (!command) return ExitCode.usage;
      io.stdout(`${command.help.trimEnd()}\n`);
      return ExitCode.ok;
    }
    const group = list.filter((c) => c.path[0] === words[0]);
    if (group.length > 0 && words.length === 1) {
      io.stdout(groupHelp(words[0] as string, group));
      return ExitCode.ok;
    }
    io.stderr(unknownCommand(list, words));
    return ExitCode.usage;
  }
  if (argv[0]?.startsWith("-")) {
    const guess = closest(argv[0], ["--help", "--version"]);
    io.stderr(
      `sluice: unknown option '${argv[0]}'${guess ? ` (did you mean ${guess}?)` : ""}. Options go after the command: sluice <command> [options]; run \`sluice --help\` for the list of commands.\n`,
    );
    return ExitCode.usage;
  }
  const found = resolve(list, argv);
  if (!found) {
    const group = list.filter((c) => c.path[0] === argv[0]);
    if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
      // `sluice plan --help` lists the group; `sluice plan` alone is missing its subcommand.
      if (argv.length > 1) {
        io.stdout(groupHelp(argv[0] as string, group));
        return ExitCode.ok;
      }
      io.stderr(`sluice ${argv[0]}: missing subcommand.\n\n${groupHelp(argv[0] as string, group)}`);
      return ExitCode.usage;
    }
    io.stderr(unknownCommand(list, argv));
    return ExitCode.usage;
  }
  const path = found.entry.path.join(" ");
  const command = await load(found.entry, io);
  if (!command) return ExitCode.usage;
  if (found.rest.some(isHelp)) {
    io.stdout(`${command.help.trimEnd()}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(found.rest, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`sluice ${path}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`sluice ${path}: internal error: ${message}\n`);
    return ExitCode.usage;
  }
}
