import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { Namer } from "../../naming/namer.ts";

export { resourcesOf, type SynthesizedStack, synthJson } from "../../test/stack.ts";

/**
 * A stack with a Namer and an AWS provider, for the network, cluster and gitops-bootstrap tests.
 * Same as modules/test/stack.ts `testStack`, except that the Namer is registered before the provider
 * is added (constructs refuses context once a scope has children).
 */
export function testStack(environment = "dev"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, `${environment}-test`);
  Namer.register(stack, new Namer({ environment }));
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}
