// Baseline for the synth benchmark (bench/synth.bench.ts): what one synth costs when the AWS provider is
// loaded from its package root, as the provider's own README shows. It is loaded dynamically so that no
// static root import exists anywhere in the project; never copy this pattern into real code.
import { App, TerraformStack } from "cdktf";

const aws = await import("@cdktf/provider-aws");
const app = new App({ outdir: process.env.SLUICE_OUTDIR ?? "cdktf.out.baseline" });
const stack = new TerraformStack(app, "baseline");
new aws.provider.AwsProvider(stack, "aws", { region: "eu-west-1" });
new aws.vpc.Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
app.synth();
