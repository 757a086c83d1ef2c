import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { Identity, type IdentityProps } from "./identity.ts";

const clients: IdentityProps["clients"] = [
  {
    name: "web",
    confidential: false,
    callbackUrls: ["https://dev.app.example.com/callback", "http://localhost:3000/cb"],
  },
  { name: "api", confidential: true, callbackUrls: ["https://dev.api.example.com/callback"] },
];

function build(props: IdentityProps = {}, environment = "dev") {
  const stack = testStack(environment);
  const identity = new Identity(stack, "identity", props);
  const json = synthJson(stack);
  const pools = Object.values(resourcesOf(json, "aws_cognito_user_pool"));
  expect(pools).toHaveLength(1);
  const clientsByName: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.values(resourcesOf(json, "aws_cognito_user_pool_client")).map((c) => [String(c.name), c]),
  );
  return { stack, identity, json, pool: pools[0] as Record<string, unknown>, clientsByName };
}

describe("Identity", () => {
  it("requires TOTP MFA, long passwords, admin-only sign-up and deletion protection by default", () => {
    const { pool } = build();
    expect(pool).toMatchObject({
      name: "dev-tenant-users",
      mfa_configuration: "ON",
      software_token_mfa_configuration: { enabled: true },
      password_policy: {
        minimum_length: 14,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: true,
      },
      deletion_protection: "ACTIVE",
      user_pool_tier: "ESSENTIALS",
      admin_create_user_config: { allow_admin_create_user_only: true },
      username_attributes: ["email"],
    });
    // Threat protection is not offered on ESSENTIALS, so no add-on is configured there.
    expect(pool).not.toHaveProperty("user_pool_add_ons");
  });

  it("enforces threat protection on the PLUS tier, or audits it when asked", () => {
    expect(build({ tier: "PLUS" }).pool.user_pool_add_ons).toEqual({ advanced_security_mode: "ENFORCED" });
    expect(build({ tier: "PLUS", threatProtection: "AUDIT" }).pool.user_pool_add_ons).toEqual({
      advanced_security_mode: "AUDIT",
    });
    expect(build({ tier: "LITE" }).pool).not.toHaveProperty("user_pool_add_ons");
  });

  it("takes optional MFA, password length, self sign-up and deletion protection from props", () => {
    const { pool } = build({
      mfa: "optional",
      minimumPasswordLength: 12,
      allowSelfSignUp: true,
      deletionProtection: false,
    });
    expect(pool).toMatchObject({
      mfa_configuration: "OPTIONAL",
      software_token_mfa_configuration: { enabled: true },
      password_policy: { minimum_length: 12 },
      admin_create_user_config: { allow_admin_create_user_only: false },
      deletion_protection: "INACTIVE",
    });
  });

  it("gives public clients no secret and confidential clients one, all hardened", () => {
    const { clientsByName } = build({ clients });
    expect(Object.keys(clientsByName).sort()).toEqual(["dev-api", "dev-web"]);
    expect(clientsByName["dev-web"]).toMatchObject({ generate_secret: false, allowed_oauth_flows: ["code"] });
    expect(clientsByName["dev-api"]).toMatchObject({ generate_secret: true, allowed_oauth_flows: ["code"] });
    for (const client of Object.values(clientsByName)) {
      expect(client).toMatchObject({
        prevent_user_existence_errors: "ENABLED",
        enable_token_revocation: true,
        explicit_auth_flows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        allowed_oauth_flows_user_pool_client: true,
        supported_identity_providers: ["COGNITO"],
        token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
      });
      expect(client.explicit_auth_flows).not.toContain("ALLOW_USER_PASSWORD_AUTH");
      expect(client.allowed_oauth_flows).not.toContain("implicit");
    }
    expect(clientsByName["dev-web"]?.callback_urls).toEqual([
      "https://dev.app.example.com/callback",
      "http://localhost:3000/cb",
    ]);
  });

  it("configures no OAuth flows for a client without callback URLs", () => {
    const { clientsByName } = build({ clients: [{ name: "admin", confidential: true }] });
    expect(clientsByName["dev-admin"]).not.toHaveProperty("allowed_oauth_flows");
    expect(clientsByName["dev-admin"]).toMatchObject({ generate_secret: true });
  });

  it("creates groups in precedence order and exposes pool, client and group ids", () => {
    const { stack, identity } = build({ clients, groups: ["admin", "tenant"] });
    const json = (() => {
      new TerraformOutput(stack, "pool", { value: identity.userPoolId });
      new TerraformOutput(stack, "arn", { value: identity.userPoolArn });
      new TerraformOutput(stack, "clients", { value: identity.clientIds });
      return synthJson(stack);
    })();
    const groups = Object.values(resourcesOf(json, "aws_cognito_user_group"));
    expect(groups.map((g) => [g.name, g.precedence])).toEqual([
      ["dev-admin", 0],
      ["dev-tenant", 1],
    ]);
    const output = json.output as Record<string, { value: unknown }>;
    expect(output.pool?.value).toMatch(/^\$\{aws_cognito_user_pool\.\w+\.id\}$/);
    expect(output.arn?.value).toMatch(/^\$\{aws_cognito_user_pool\.\w+\.arn\}$/);
    expect(output.clients?.value).toEqual({
      web: expect.stringMatching(/^\$\{aws_cognito_user_pool_client\.\w+web\w*\.id\}$/),
      api: expect.stringMatching(/^\$\{aws_cognito_user_pool_client\.\w+api\w*\.id\}$/),
    });
  });

  it.each([
    [{ minimumPasswordLength: 8 }, "Identity: minimumPasswordLength must be an integer from 12 to 99, got 8"],
    [{ mfa: "off" as never }, 'Identity: mfa must be "required" or "optional", got "off"'],
    [{ tier: "FREE" as never }, 'tier must be "LITE", "ESSENTIALS" or "PLUS", got "FREE"'],
    [{ threatProtection: "ENFORCED" as const }, 'threatProtection must be unset unless tier is "PLUS"'],
    [
      { clients: [{ name: "web", confidential: false, callbackUrls: ["http://app.example.com/cb"] }] },
      'clients[0].callbackUrls must be an https:// URL (or http://localhost for development), got "http://app.example.com/cb"',
    ],
    [
      { clients: [{ name: "web", confidential: false, logoutUrls: ["javascript:alert(1)"] }] },
      "clients[0].logoutUrls must be an https:// URL",
    ],
    [
      {
        clients: [
          { name: "web", confidential: false },
          { name: "web", confidential: true },
        ],
      },
      'clients[].name must be unique, got "web"',
    ],
    [{ groups: ["Admins"] }, 'groups[] must be a lowercase glossary word (a-z, 0-9), got "Admins"'],
    [{ refreshTokenValidityDays: 0 }, "refreshTokenValidityDays must be an integer from 1 to 3650, got 0"],
  ])("rejects %o", (props, message) => {
    expect(() => build(props as IdentityProps)).toThrow(message);
  });

  it("gives each tenant an app client and a user group named after it, with stable construct ids", () => {
    const base = { clients, groups: ["admin", "tenant"] };
    const before = build(base);
    const after = build({
      ...base,
      tenants: [
        { name: "acme" },
        { name: "globex", client: { confidential: false, callbackUrls: ["https://globex.example.com/cb"] } },
      ],
    });
    expect(after.clientsByName["dev-acme"]).toMatchObject({
      generate_secret: true,
      prevent_user_existence_errors: "ENABLED",
      enable_token_revocation: true,
    });
    expect(after.clientsByName["dev-acme"]).not.toHaveProperty("allowed_oauth_flows");
    expect(after.clientsByName["dev-globex"]).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows: ["code"],
      callback_urls: ["https://globex.example.com/cb"],
    });
    const groups = resourcesOf(after.json, "aws_cognito_user_group");
    const tenantGroups = Object.values(groups).filter((g) => g.description);
    expect(tenantGroups.map((g) => [g.name, g.description, g.precedence])).toEqual([
      ["dev-acme", "Users of tenant acme", undefined],
      ["dev-globex", "Users of tenant globex", undefined],
    ]);
    expect(Object.keys(after.identity.tenantClientIds)).toEqual(["acme", "globex"]);
    expect(Object.keys(after.identity.tenantGroupNames)).toEqual(["acme", "globex"]);
    // Adding tenants changes nothing the environment already had: same logical ids, same settings.
    for (const type of ["aws_cognito_user_pool", "aws_cognito_user_pool_client", "aws_cognito_user_group"]) {
      const old = resourcesOf(before.json, type);
      const now = resourcesOf(after.json, type);
      for (const [id, resource] of Object.entries(old)) expect(now[id], `${type}.${id}`).toEqual(resource);
    }
  });

  it.each([
    [{ tenants: [{ name: "acme" }, { name: "acme" }] }, 'tenants[].name must be unique, got "acme"'],
    [
      { tenants: [{ name: "Acme" }] },
      'tenants[].name must be a lowercase glossary word (a-z, 0-9), got "Acme"',
    ],
    [
      { groups: ["admin"], tenants: [{ name: "admin" }] },
      'tenants[0].name must be different from every name in clients and groups, got "admin"',
    ],
    [
      { tenants: [{ name: "acme", client: { confidential: false, callbackUrls: ["http://acme.com"] } }] },
      'tenants[0].client.callbackUrls must be an https:// URL (or http://localhost for development), got "http://acme.com"',
    ],
  ])("rejects tenants %o", (props, message) => {
    expect(() => build(props as IdentityProps)).toThrow(message);
  });
});
