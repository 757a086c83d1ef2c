import { type CliIo, type Command, ExitCode, UserError } from "./command.ts";
import { commands } from "./commands/index.ts";

function overview(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.path.join(" ").length));
  const rows = list.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`);
  return [
    "sluice: change-controlled GitOps for AWS",
    "",
    "Usage: sluice <command> [options]",
    "",
    "Commands:",
    ...rows,
    "",
    "Run `sluice <command> --help` for a command's options.",
    "",
  ].join("\n");
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(
  list: readonly Command[],
  argv: readonly string[],
): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of list) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export async function main(
  argv: readonly string[],
  io: CliIo,
  list: readonly Command[] = commands,
): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout(overview(list));
    return ExitCode.ok;
  }
  const found = resolve(list, argv);
  if (!found) {
    const groups = list.filter((c) => c.path[0] === argv[0]);
    const hint =
      groups.length > 0
        ? `Subcommands of '${argv[0]}': ${groups.map((c) => c.path.join(" ")).join(", ")}.`
        : "Run `sluice --help` for the list of commands.";
    io.stderr(`sluice: unknown command '${argv.join(" ")}'. ${hint}\n`);
    return ExitCode.usage;
  }
  if (found.rest.includes("--help") || found.rest.includes("-h")) {
    io.stdout(`${found.command.help.trimEnd()}\n`);
    return ExitCode.ok;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(`sluice ${found.command.path.join(" ")}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`sluice ${found.command.path.join(" ")}: internal error: ${message}\n`);
    return ExitCode.usage;
  }
}
