/**
 * Secure-default rules run over synthesized Terraform JSON (cdktf.out/stacks/<name>/cdk.tf.json).
 * Pure: plain JSON in, violations out. Used by `npm run synth` (fails on any violation),
 * by `sluice rules check`, and by tests.
 */

/** The parts of a synthesized stack the rules read. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  readonly terraform?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface SynthesizedStack {
  /** Stack name, e.g. "prod-platform". */
  readonly name: string;
  readonly json: TerraformJson;
}

export interface RuleViolation {
  /** The rule's id, e.g. "rds-not-public". */
  readonly rule: string;
  readonly stack: string;
  /** Terraform address, e.g. aws_db_instance.database_instance_1a2b3c. */
  readonly address: string;
  readonly message: string;
}

export interface Rule {
  /** Stable kebab-case id, shown in every violation. */
  readonly id: string;
  /** What the rule enforces, one sentence. */
  readonly description: string;
  readonly check: (stack: SynthesizedStack) => RuleViolation[];
}

/** One resource block of a synthesized stack. */
export interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Every resource of the given types in a stack. */
export function resourcesOf(stack: SynthesizedStack, ...types: string[]): ResourceBlock[] {
  const out: ResourceBlock[] = [];
  for (const type of types) {
    for (const [name, config] of Object.entries(stack.json.resource?.[type] ?? {})) {
      out.push({ type, name, address: `${type}.${name}`, config });
    }
  }
  return out;
}

/** Builds a violation for a resource. */
export function violation(
  rule: string,
  stack: SynthesizedStack,
  block: ResourceBlock,
  message: string,
): RuleViolation {
  return { rule, stack: stack.name, address: block.address, message };
}
