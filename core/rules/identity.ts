import { isLiteral, literalNumber } from "./database.ts";
import { isProdStack } from "./stack-environment.ts";
import { type Rule, resourcesOf, type SynthesizedStack, violation } from "./types.ts";

export const MIN_PASSWORD_LENGTH = 12;

const pools = (stack: SynthesizedStack) => resourcesOf(stack, "aws_cognito_user_pool");

/** A nested block as synthesized: cdktf writes single blocks as objects, Terraform JSON also allows lists. */
function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null ? (first as Record<string, unknown>) : undefined;
}

const cognitoMfa: Rule = {
  id: "cognito-mfa",
  description: 'User pools offer TOTP MFA (mfa_configuration "ON" or "OPTIONAL", software tokens enabled).',
  check: (stack) =>
    pools(stack).flatMap((pool) => {
      const mode = pool.config.mfa_configuration;
      if (mode !== "ON" && mode !== "OPTIONAL") {
        return [
          violation(
            "cognito-mfa",
            stack,
            pool,
            `mfa_configuration must be "ON" or "OPTIONAL", got ${JSON.stringify(mode ?? null)}`,
          ),
        ];
      }
      if (!isLiteral(block(pool.config.software_token_mfa_configuration)?.enabled, true)) {
        return [
          violation(
            "cognito-mfa",
            stack,
            pool,
            "software_token_mfa_configuration.enabled must be true (TOTP)",
          ),
        ];
      }
      return [];
    }),
};

const cognitoPasswordLength: Rule = {
  id: "cognito-password-length",
  description: `User-pool passwords are at least ${MIN_PASSWORD_LENGTH} characters.`,
  check: (stack) =>
    pools(stack).flatMap((pool) => {
      const length = literalNumber(block(pool.config.password_policy)?.minimum_length);
      return length !== undefined && length >= MIN_PASSWORD_LENGTH
        ? []
        : [
            violation(
              "cognito-password-length",
              stack,
              pool,
              `password_policy.minimum_length must be >= ${MIN_PASSWORD_LENGTH}, got ${length ?? "none (default 8)"}`,
            ),
          ];
    }),
};

const cognitoDeletionProtectionInProd: Rule = {
  id: "cognito-deletion-protection-in-prod",
  description:
    'In prod stacks (by their content: default tags, backend key), user pools have deletion_protection = "ACTIVE".',
  check: (stack) =>
    isProdStack(stack)
      ? pools(stack)
          .filter((pool) => pool.config.deletion_protection !== "ACTIVE")
          .map((pool) =>
            violation(
              "cognito-deletion-protection-in-prod",
              stack,
              pool,
              `prod: deletion_protection must be "ACTIVE", got ${JSON.stringify(pool.config.deletion_protection ?? null)}`,
            ),
          )
      : [],
};

const cognitoThreatProtection: Rule = {
  id: "cognito-threat-protection",
  description: 'User pools on the PLUS tier enforce threat protection (advanced_security_mode "ENFORCED").',
  check: (stack) =>
    pools(stack)
      .filter((pool) => pool.config.user_pool_tier === "PLUS")
      .filter((pool) => block(pool.config.user_pool_add_ons)?.advanced_security_mode !== "ENFORCED")
      .map((pool) =>
        violation(
          "cognito-threat-protection",
          stack,
          pool,
          `PLUS tier: user_pool_add_ons.advanced_security_mode must be "ENFORCED", got ${JSON.stringify(block(pool.config.user_pool_add_ons)?.advanced_security_mode ?? null)}`,
        ),
      ),
};

const cognitoClientHardened: Rule = {
  id: "cognito-client-hardened",
  description:
    "App clients hide whether a user exists, allow token revocation and never use the implicit flow.",
  check: (stack) =>
    resourcesOf(stack, "aws_cognito_user_pool_client").flatMap((client) => {
      const c = client.config;
      const problems: string[] = [];
      if (c.prevent_user_existence_errors !== "ENABLED")
        problems.push('prevent_user_existence_errors must be "ENABLED"');
      if (!isLiteral(c.enable_token_revocation, true)) problems.push("enable_token_revocation must be true");
      if (Array.isArray(c.allowed_oauth_flows) && c.allowed_oauth_flows.includes("implicit")) {
        problems.push('allowed_oauth_flows must not include "implicit" (use "code")');
      }
      return problems.map((p) => violation("cognito-client-hardened", stack, client, p));
    }),
};

/** Secure defaults of modules/identity (Cognito). */
export const identityRules: readonly Rule[] = [
  cognitoMfa,
  cognitoPasswordLength,
  cognitoDeletionProtectionInProd,
  cognitoThreatProtection,
  cognitoClientHardened,
];
