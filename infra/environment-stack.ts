import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/config.ts";
import { Namer } from "../modules/naming/namer.ts";
import { NamingAspect } from "../modules/naming/naming-aspect.ts";
import { defaultTags } from "./tags.ts";

/** The stacks each environment is split into, in apply order. */
export type StackRole = "bootstrap" | "network" | "platform" | "gitops";

/**
 * A stack of one environment: named `{env}-{role}`, with an AWS provider pinned to the environment's
 * account and region carrying the default tags, a glossary-aware Namer, and the naming check.
 */
export class EnvironmentStack extends TerraformStack {
  readonly env: EnvironmentConfig;
  readonly role: StackRole;

  constructor(scope: Construct, env: EnvironmentConfig, role: StackRole) {
    super(scope, `${env.name}-${role}`);
    this.env = env;
    this.role = role;
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    Namer.register(this, new Namer({ environment: env.name }));
    Aspects.of(this).add(new NamingAspect());
  }
}
