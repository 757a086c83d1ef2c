import { describe, expect, it } from "vitest";
import { identityRules } from "../../core/rules/identity.ts";
import { runRules } from "../../core/rules/run.ts";
import type { SynthesizedStack, TerraformJson } from "../../core/rules/types.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Identity, type IdentityProps } from "./identity.ts";

const props: IdentityProps = {
  clients: [
    { name: "web", confidential: false, callbackUrls: ["https://app.example.com/callback"] },
    { name: "api", confidential: true },
  ],
  groups: ["admin", "tenant"],
};

function check(
  options: {
    environment?: string;
    props?: Partial<IdentityProps>;
    weaken?: (identity: Identity) => void;
  } = {},
) {
  const stack = testStack(options.environment ?? "dev");
  const identity = new Identity(stack, "identity", { ...props, ...options.props });
  options.weaken?.(identity);
  const synthesized: SynthesizedStack = { name: stack.node.id, json: synthJson(stack) as TerraformJson };
  return runRules([synthesized], identityRules);
}

const web = (identity: Identity) => {
  const client = identity.clients.web;
  if (!client) throw new Error("no web client");
  return client;
};

describe("identity rules", () => {
  it("pass the default Identity, optional MFA in dev and the PLUS tier in prod", () => {
    expect(check()).toEqual([]);
    expect(check({ props: { mfa: "optional", deletionProtection: false } })).toEqual([]);
    expect(check({ environment: "prod", props: { tier: "PLUS" } })).toEqual([]);
  });

  it.each([
    ["cognito-mfa", (i: Identity) => i.userPool.addOverride("mfa_configuration", "OFF")],
    [
      "cognito-mfa",
      (i: Identity) => i.userPool.addOverride("software_token_mfa_configuration.enabled", false),
    ],
    ["cognito-password-length", (i: Identity) => i.userPool.addOverride("password_policy.minimum_length", 8)],
    ["cognito-password-length", (i: Identity) => i.userPool.addOverride("password_policy", null)],
    [
      "cognito-client-hardened",
      (i: Identity) => web(i).addOverride("prevent_user_existence_errors", "LEGACY"),
    ],
    ["cognito-client-hardened", (i: Identity) => web(i).addOverride("enable_token_revocation", false)],
    ["cognito-client-hardened", (i: Identity) => web(i).addOverride("allowed_oauth_flows", ["implicit"])],
  ])("%s trips on a weakened pool or client", (rule, weaken) => {
    const violations = check({ weaken });
    expect(violations.map((v) => v.rule)).toEqual([rule]);
  });

  it("cognito-deletion-protection-in-prod trips in prod stacks only", () => {
    const violations = check({ environment: "prod", props: { deletionProtection: false } });
    expect(violations.map((v) => [v.rule, v.stack, v.message])).toEqual([
      [
        "cognito-deletion-protection-in-prod",
        "prod-test",
        'prod: deletion_protection must be "ACTIVE", got "INACTIVE"',
      ],
    ]);
    expect(check({ environment: "dev", props: { deletionProtection: false } })).toEqual([]);
  });

  it("cognito-threat-protection trips when a PLUS pool only audits", () => {
    const violations = check({ props: { tier: "PLUS", threatProtection: "AUDIT" } });
    expect(violations.map((v) => v.rule)).toEqual(["cognito-threat-protection"]);
    expect(violations[0]?.address).toMatch(/^aws_cognito_user_pool\./);
  });
});
