import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import type { SynthesizedStack as RuleStack, TerraformJson } from "../../core/rules/types.ts";
import { Namer } from "../naming/namer.ts";

/**
 * A stack with an AWS provider and a namer for `environment` (default `dev`), for construct tests.
 * `name` matters where a construct or rule reads the stack's name, e.g. "dev-bootstrap".
 */
export function testStack(environment = "dev", name = `${environment}-test`): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  Namer.register(stack, new Namer({ environment }));
  return stack;
}

/** Synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

export interface SynthesizedStack {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
  output?: Record<string, unknown>;
}

/** The stack synthesized and parsed, in the shape the secure-default rules read (core/rules/types.ts). */
export function synthStack(stack: TerraformStack): RuleStack {
  return { name: stack.node.id, json: synthJson(stack) as TerraformJson };
}

/** All resources of one Terraform type, keyed by logical id. */
export function resourcesOf(
  json: Pick<TerraformJson, "resource">,
  type: string,
): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** All resources of one Terraform type in a synthesized stack, keyed by logical id. */
export function resources(stack: RuleStack, type: string): Record<string, Record<string, unknown>> {
  return resourcesOf(stack.json, type);
}

/** The only resource of one type; throws when there are none or several. */
export function only(stack: RuleStack, type: string): Record<string, unknown> {
  const all = Object.values(resources(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Record<string, unknown>;
}

export { App };
