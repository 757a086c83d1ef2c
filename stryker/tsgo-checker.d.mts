// Types of tsgo-checker.mjs (plain JavaScript, because Stryker imports its plugins with Node.js itself).
import type { CheckResult } from "@stryker-mutator/api/check";
import type { Mutant, Position } from "@stryker-mutator/api/core";

export function offsetOf(text: string, position: Position): number;
export function applyMutant(original: string, mutant: Pick<Mutant, "location" | "replacement">): string;
export function dependentsOf(file: string, importers: ReadonlyMap<string, readonly string[]>): string[];

export class TsgoChecker {
  constructor(log: { info(message: string): void }, options: { tsconfigFile: string });
  init(): Promise<void>;
  check(mutants: readonly Mutant[]): Promise<Record<string, CheckResult>>;
  dispose(): void;
}

export const strykerPlugins: unknown[];
