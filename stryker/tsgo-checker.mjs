// Stryker checker "tsgo": leaves mutants that do not compile out of the score, with TypeScript 7's own API
// (`typescript/unstable/sync`, the native compiler this repository type-checks with).
//
// Why not @stryker-mutator/typescript-checker: on TypeScript 5.9 it re-parsed and re-bound all 525 files of the
// project for every check (its solution-builder host keeps no parsed files between builds), and its TypeScript 7
// preview type-checks the whole program for every mutant (about 330 ms here). A mutant changes one file, so this
// checker asks only for that file's diagnostics and, when it has none, for those of the files that import it,
// directly or not (a changed export can break them). See docs/testing.md, "Speed".
import { readFileSync } from "node:fs";
import path from "node:path";
import { CheckStatus } from "@stryker-mutator/api/check";
import { commonTokens, declareClassPlugin, PluginKind, tokens } from "@stryker-mutator/api/plugin";
import { API } from "typescript/unstable/sync";

const ERROR = 1; // DiagnosticCategory.Error

/** Offset of a zero-based line/column position (Stryker's mutant locations) in `text`. */
export function offsetOf(text, { line, column }) {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    offset = text.indexOf("\n", offset) + 1;
    if (offset === 0) throw new Error(`line ${line + 1} is past the end of the file (${i + 1} lines)`);
  }
  return offset + column;
}

/** The text of `original` with the mutant applied. */
export function applyMutant(original, mutant) {
  const start = offsetOf(original, mutant.location.start);
  const end = offsetOf(original, mutant.location.end);
  return original.slice(0, start) + mutant.replacement + original.slice(end);
}

/**
 * Files that import `file`, directly or through others, nearest first. `importers` maps a file to the files
 * that import it.
 */
export function dependentsOf(file, importers) {
  const seen = new Set([file]);
  const queue = [file];
  for (let i = 0; i < queue.length; i++) {
    for (const importer of importers.get(queue[i]) ?? []) {
      if (!seen.has(importer)) {
        seen.add(importer);
        queue.push(importer);
      }
    }
  }
  return queue.slice(1);
}

function lineOf(text, offset) {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

export class TsgoChecker {
  static inject = tokens(commonTokens.logger, commonTokens.options);

  #log;
  #config;
  #api;
  /** Original text of every project file (not declaration files, not node_modules). */
  #files = new Map();
  #importers = new Map();
  #overrides = new Map();
  #lastMutated;

  constructor(log, options) {
    this.#log = log;
    this.#config = path.resolve(options.tsconfigFile);
  }

  async init() {
    this.#api = new API({
      cwd: process.cwd(),
      fs: { readFile: (file) => this.#overrides.get(path.resolve(file)), writeFile: () => {} },
    });
    const snapshot = this.#api.updateSnapshot({ openProject: this.#config });
    try {
      const { program } = this.#project(snapshot);
      const errors = [
        ...program.getConfigFileParsingDiagnostics(),
        ...program.getProgramDiagnostics(),
        ...program.getSyntacticDiagnostics(),
        ...program.getSemanticDiagnostics(),
      ].filter((d) => d.category === ERROR);
      if (errors.length > 0) {
        throw new Error(`TypeScript errors before any mutant (${this.#config}):\n${this.#format(errors)}`);
      }
      for (const file of program.getSourceFileNames()) {
        if (file.endsWith(".d.ts") || file.includes("/node_modules/")) continue;
        this.#files.set(file, readFileSync(file, "utf8"));
      }
      for (const file of this.#files.keys()) {
        for (const specifier of program.getSourceFile(file)?.imports ?? []) {
          const imported = this.#resolve(file, specifier.text);
          if (imported === undefined) continue;
          if (!this.#importers.has(imported)) this.#importers.set(imported, []);
          this.#importers.get(imported).push(file);
        }
      }
      this.#log.info(
        `tsgo checker: ${this.#files.size} project files in ${path.relative(".", this.#config)}`,
      );
    } finally {
      snapshot.dispose();
    }
  }

  async check(mutants) {
    const results = {};
    for (const mutant of mutants) results[mutant.id] = this.#checkOne(mutant);
    return results;
  }

  dispose() {
    this.#api?.close();
  }

  #checkOne(mutant) {
    const file = path.resolve(mutant.fileName);
    const original = this.#files.get(file);
    if (original === undefined) return { status: CheckStatus.Passed }; // not in the checked project
    this.#overrides.set(file, applyMutant(original, mutant));
    const changed = [...new Set([file, this.#lastMutated].filter(Boolean))];
    this.#lastMutated = file;
    const snapshot = this.#api.updateSnapshot({ openProject: this.#config, fileChanges: { changed } });
    try {
      const { program } = this.#project(snapshot);
      for (const checked of [file, ...dependentsOf(file, this.#importers)]) {
        const errors = [
          ...program.getSyntacticDiagnostics(checked),
          ...program.getSemanticDiagnostics(checked),
        ].filter((d) => d.category === ERROR);
        if (errors.length > 0) return { status: CheckStatus.CompileError, reason: this.#format(errors) };
      }
      return { status: CheckStatus.Passed };
    } finally {
      snapshot.dispose();
      this.#overrides.delete(file);
    }
  }

  #project(snapshot) {
    const [project] = snapshot.getProjects();
    if (project === undefined) throw new Error(`tsgo opened no project for ${this.#config}`);
    return project;
  }

  #resolve(from, specifier) {
    if (!specifier.startsWith(".")) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
      if (this.#files.has(candidate)) return candidate;
    }
    return undefined;
  }

  #format(diagnostics) {
    return diagnostics
      .map((d) => {
        const where = d.fileName
          ? `${path.relative(".", d.fileName)}(${lineOf(this.#overrides.get(d.fileName) ?? this.#files.get(d.fileName) ?? "", d.pos)})`
          : "";
        return `${where}: error TS${d.code}: ${d.text}`;
      })
      .join("\n");
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, "tsgo", TsgoChecker)];
