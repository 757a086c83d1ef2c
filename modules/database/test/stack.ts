import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { Namer } from "../../naming/namer.ts";

export { resourcesOf, type SynthesizedStack, synthJson } from "../../test/stack.ts";

/**
 * Like modules/test/stack.ts `testStack`, but registers the Namer before adding the provider
 * (constructs refuses context once a scope has children). Used by the database, queues, identity
 * and alarms tests until the shared helper registers in that order.
 */
export function testStack(environment = "dev"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, `${environment}-test`);
  Namer.register(stack, new Namer({ environment }));
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}
