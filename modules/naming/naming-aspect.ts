import { type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { GlossaryFinding } from "../../core/glossary/findings.ts";
import type { Glossary } from "../../core/glossary/glossary.ts";
import { namesInTerraformJson } from "../../core/glossary/terraform-names.ts";
import { checkerFor, repositoryGlossary } from "./repository-glossary.ts";

export interface NamingAspectProps {
  /**
   * The glossary names are checked against.
   * @default the repository's glossary.md, read once per process
   */
  readonly glossary?: Glossary;
}

/** Synth failed because resources carry names that break the glossary or a target's limits. */
export class NamingViolationError extends Error {
  constructor(
    readonly stackName: string,
    readonly findings: readonly GlossaryFinding[],
  ) {
    super(
      `Naming check failed for stack '${stackName}' (${findings.length} violation${findings.length === 1 ? "" : "s"}):\n` +
        findings
          .map((f) => `  - [${f.rule}] ${f.message}${f.suggestion ? ` Suggestion: '${f.suggestion}'.` : ""}`)
          .join("\n"),
    );
    this.name = "NamingViolationError";
  }
}

/**
 * Checks the names actually set on every resource of a stack (name attributes, Kubernetes metadata,
 * tags, provider default tags) after all constructs ran, with the same rules as
 * `sluice glossary check`. Add it with `Aspects.of(stack).add(new NamingAspect())`; synth then throws
 * one NamingViolationError listing every violation (resource address, name, rule, suggestion).
 * A value that is only a Terraform reference is skipped (it is checked where it is defined); of a value
 * mixing words with references, only the words are checked (its length is not known until apply).
 *
 * It throws rather than adding error annotations so that it fails closed even under
 * `Testing.synth` and with `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` set.
 */
export class NamingAspect implements IAspect {
  private readonly glossary: Glossary;

  constructor(props: NamingAspectProps = {}) {
    this.glossary = props.glossary ?? repositoryGlossary();
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node.node.id;
    const json = node.toTerraform() as Readonly<Record<string, unknown>>;
    const checker = checkerFor(this.glossary);
    const findings = namesInTerraformJson(json, stack).flatMap((use) => checker.check(use));
    if (findings.length > 0) throw new NamingViolationError(stack, findings);
  }
}
