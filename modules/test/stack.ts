import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { Namer } from "../naming/namer.ts";

/** A stack with an AWS provider and a `dev` namer, for construct tests. */
export function testStack(environment = "dev"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, `${environment}-test`);
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

/** All resources of one Terraform type, keyed by logical id. */
export function resourcesOf(json: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export { App };
