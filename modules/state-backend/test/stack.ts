import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import type { SynthesizedStack as RuleStack } from "../../../core/rules/types.ts";
import { Namer } from "../../naming/namer.ts";

/**
 * A stack with an AWS provider and a namer for the state-backend, registry and ci-identity tests.
 * Registers the Namer before adding the provider: constructs refuses context once a scope has children.
 */
export function testStack(environment = "dev", name = `${environment}-test`): TerraformStack {
  const stack = new TerraformStack(Testing.app(), name);
  Namer.register(stack, new Namer({ environment }));
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

/** The stack synthesized and parsed, in the shape the secure-default rules read. */
export function synthStack(stack: TerraformStack): RuleStack {
  return { name: stack.node.id, json: JSON.parse(Testing.synth(stack)) };
}

/** Every resource of one Terraform type, keyed by logical id. */
export function resources(stack: RuleStack, type: string): Record<string, Record<string, unknown>> {
  return (stack.json.resource?.[type] ?? {}) as Record<string, Record<string, unknown>>;
}

/** The only resource of one type; throws when there are none or several. */
export function only(stack: RuleStack, type: string): Record<string, unknown> {
  const all = Object.values(resources(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, unknown>;
}
