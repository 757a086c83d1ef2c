import type { Command } from "../command.ts";
import { version } from "./version.ts";

/** Every subcommand `sluice` offers; `sluice --help` lists them in this order. */
export const commands: readonly Command[] = [version];
