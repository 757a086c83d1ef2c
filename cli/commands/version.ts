import { readFileSync } from "node:fs";
import { type Command, ExitCode, UserError } from "../command.ts";

export const version: Command = {
  path: ["version"],
  summary: "Print the Sluice version",
  help: "Usage: sluice version\n\nPrints the version of this Sluice checkout.",
  async run(args, io) {
    if (args.length > 0) throw new UserError(`takes no arguments, got '${args.join(" ")}'`);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    io.stdout(`${pkg.version}\n`);
    return ExitCode.ok;
  },
};
