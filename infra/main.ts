import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { App, TerraformStack } from "cdktf";

const app = new App();
const s = new TerraformStack(app, "dev-network");
new AwsProvider(s, "aws", { region: "eu-west-1" });
new Vpc(s, "vpc", { cidrBlock: "10.0.0.0/16" });
app.synth();
