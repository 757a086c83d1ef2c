// Baseline for the synth benchmark: what one synth costs when the AWS provider is imported from its
// package root, as the provider's own README shows. Do not copy this import pattern anywhere else.
import * as aws from "@cdktf/provider-aws";
import { App, TerraformStack } from "cdktf";

const app = new App({ outdir: process.env.SLUICE_OUTDIR ?? "cdktf.out.baseline" });
const stack = new TerraformStack(app, "baseline");
new aws.provider.AwsProvider(stack, "aws", { region: "eu-west-1" });
new aws.vpc.Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
app.synth();
