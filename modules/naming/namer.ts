import type { IConstruct } from "constructs";
import type { GlossaryFinding } from "../../core/glossary/findings.ts";
import type { Glossary } from "../../core/glossary/glossary.ts";
import { shortenName } from "../../core/glossary/shorten.ts";
import { type NameTarget, TARGETS } from "../../core/glossary/targets.ts";
import { splitTokens } from "../../core/glossary/tokens.ts";
import { checkerFor, repositoryGlossary } from "./repository-glossary.ts";

/**
 * The kinds of AWS/Kubernetes name a construct builds. Each has its own length and character limits
 * (core/glossary/targets.ts); `generic` is for names AWS constrains only loosely.
 */
export type { NameTarget };

export interface NamerProps {
  /** The environment's canonical short name (a glossary term of kind environment), the first token of every name. */
  readonly environment: string;
  /**
   * The glossary names are checked against.
   * @default the repository's glossary.md, read once per process
   */
  readonly glossary?: Glossary;
}

const REGISTERED = new WeakMap<IConstruct, Namer>();

/** A name the Namer refused to build: it lists what is wrong and what to write instead. */
export class NamingError extends Error {
  constructor(
    message: string,
    readonly findings: readonly GlossaryFinding[] = [],
  ) {
    super(message);
    this.name = "NamingError";
  }
}

/**
 * Builds every resource name from glossary terms, so names are right by construction.
 * Constructs never hand-write a name string: they call `Namer.of(this).name(target, ...tokens)`.
 */
export class Namer {
  /** The namer registered on the nearest enclosing scope (usually the stack). */
  static of(scope: IConstruct): Namer {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = REGISTERED.get(scopes[i] as IConstruct);
      if (found) return found;
    }
    throw new Error(
      `No Namer registered above '${scope.node.path}'. Call Namer.register(stack, namer) when creating the stack.`,
    );
  }

  /**
   * Makes `namer` the one that `Namer.of` finds for `scope` and everything below it. Unlike construct
   * context, this may be called after children were added (e.g. after the provider).
   */
  static register(scope: IConstruct, namer: Namer): void {
    REGISTERED.set(scope, namer);
  }

  readonly glossary: Glossary;

  constructor(readonly props: NamerProps) {
    this.glossary = props.glossary ?? repositoryGlossary();
    const env = this.glossary.tokens.get(props.environment);
    if (env?.kind !== "environment" || env.term !== props.environment) {
      const environments = this.glossary.terms.filter((t) => t.kind === "environment").map((t) => t.term);
      throw new NamingError(
        `Namer: environment '${props.environment}' is not an environment term of ${this.glossary.file}; expected one of ${environments.join(", ")}`,
      );
    }
  }

  /** The environment term every name starts with. */
  get environment(): string {
    return this.props.environment;
  }

  /**
   * `{env}-{token}-{token}…` (plus `.fifo` for a FIFO queue), lowercase. Every token must be a glossary
   * term or short form; a name longer than the target allows is shortened to a prefix plus an 8-digit
   * hash of the full name. Throws NamingError, with suggestions, for any token or limit problem.
   */
  name(target: NameTarget, ...tokens: string[]): string {
    const spec = TARGETS[target];
    const parts = [this.props.environment, ...tokens].flatMap((t) => splitTokens(t));
    if (parts.length < 2) {
      throw new NamingError(`Namer: a ${target} name needs at least one token after the environment`);
    }
    const checker = checkerFor(this.glossary);
    const wording = checker.check({ file: "Namer", name: parts.join("-"), target: "generic" });
    if (wording.length > 0) throw this.error(target, tokens, wording);
    const joined = parts.join("-") + (spec.requiredSuffix ?? "");
    const name = shortenName(joined, spec.maxLength, spec.requiredSuffix);
    const limits = checker.check({ file: "Namer", name, target });
    if (limits.length > 0) throw this.error(target, tokens, limits);
    return name;
  }

  private error(
    target: NameTarget,
    tokens: readonly string[],
    findings: readonly GlossaryFinding[],
  ): NamingError {
    const lines = findings.map(
      (f) => `  - ${f.message}${f.suggestion ? ` Suggestion: '${f.suggestion}'.` : ""}`,
    );
    return new NamingError(
      `Namer: cannot build a ${target} name from (${[this.props.environment, ...tokens].map((t) => `'${t}'`).join(", ")}):\n${lines.join("\n")}`,
      findings,
    );
  }
}
