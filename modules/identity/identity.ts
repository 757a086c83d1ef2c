import { CognitoUserGroup } from "@cdktf/provider-aws/lib/cognito-user-group";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { Namer } from "../naming/namer.ts";

/** Cognito feature plans. Threat protection (advanced security) exists only on PLUS. */
export type UserPoolTier = "LITE" | "ESSENTIALS" | "PLUS";

export interface AppClientSpec {
  /** Glossary token naming the client, e.g. "web"; the client is `{env}-web`. */
  readonly name: string;
  /**
   * Confidential clients (servers) get a client secret; public clients (browsers, mobile apps) never do
   * and should use the authorization-code flow with PKCE.
   */
  readonly confidential: boolean;
  /**
   * OAuth redirect URLs: https, or http://localhost for development. Empty means no OAuth flows,
   * only SRP sign-in through the Cognito API.
   * @default []
   */
  readonly callbackUrls?: readonly string[];
  /**
   * Sign-out redirect URLs, same rules as `callbackUrls`.
   * @default []
   */
  readonly logoutUrls?: readonly string[];
}

/** One tenant of the platform: its own app client and user group in the pool. */
export interface TenantIdentitySpec {
  /** Glossary tenant term, e.g. "acme"; its client and its group are both `{env}-acme`. */
  readonly name: string;
  /**
   * The tenant's app client.
   * @default confidential (with a secret), no OAuth redirects (SRP sign-in through the Cognito API only)
   */
  readonly client?: Omit<AppClientSpec, "name">;
}

export interface IdentityProps {
  /**
   * Glossary tokens naming the user pool; the pool is `{env}-{tokens}`.
   * @default ["tenant", "users"]
   */
  readonly nameTokens?: readonly string[];

  /**
   * TOTP multi-factor authentication: "required" for every user, or "optional" (each user chooses).
   * There is no "off".
   * @default "required"
   */
  readonly mfa?: "required" | "optional";

  /**
   * Minimum password length; 12 or more.
   * @default 14
   */
  readonly minimumPasswordLength?: number;

  /**
   * Feature plan. On PLUS the pool gets threat protection (`advanced_security_mode`); LITE and
   * ESSENTIALS do not offer it, so no add-on is configured there.
   * @default "ESSENTIALS"
   */
  readonly tier?: UserPoolTier;

  /**
   * Threat-protection mode on the PLUS tier: "ENFORCED" blocks risky sign-ins, "AUDIT" only logs them
   * (a deliberate weakening a reviewer should see). Setting it on another tier is an error.
   * @default "ENFORCED" on PLUS
   */
  readonly threatProtection?: "ENFORCED" | "AUDIT";

  /**
   * Refuse to delete the pool. Turning it off (dev) is an explicit escape hatch.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Let anyone sign up; by default only administrators create users (tenants are onboarded).
   * @default false
   */
  readonly allowSelfSignUp?: boolean;

  /**
   * App clients.
   * @default []
   */
  readonly clients?: readonly AppClientSpec[];

  /**
   * Group names (glossary tokens), highest precedence first, e.g. ["admin", "tenant"]; each group is
   * `{env}-{name}`.
   * @default []
   */
  readonly groups?: readonly string[];

  /**
   * Tenants, each with an app client and a user group `{env}-{tenant}` (no precedence: tenant groups carry
   * no IAM role). Construct ids follow the tenant's name, so adding or removing one leaves the others be.
   * @default []
   */
  readonly tenants?: readonly TenantIdentitySpec[];

  /**
   * Refresh-token lifetime in days (1–3650).
   * @default 30
   */
  readonly refreshTokenValidityDays?: number;

  /**
   * Send the pool's e-mail (verification codes, invitations) through SES as `fromAddress`, from the
   * SES identity `sesIdentityArn`. Cognito's own sender is limited to 50 messages a day.
   * @default Cognito's default sender
   */
  readonly email?: { readonly fromAddress: string; readonly sesIdentityArn: string };
}

const TOKEN = /^[a-z][a-z0-9]*$/;
const REDIRECT = /^(https:\/\/[^\s/]+|http:\/\/localhost(:\d+)?)(\/\S*)?$/;

/**
 * A Cognito user pool for the platform's tenants: TOTP MFA, long passwords, threat protection where the
 * tier offers it, admin-only sign-up, no user-existence leaks, revocable tokens, and app clients and
 * groups from config.
 */
export class Identity extends Construct {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  /** Issuer endpoint, e.g. for JWT validation. */
  readonly userPoolEndpoint: string;
  /** App client ids by client name. */
  readonly clientIds: Readonly<Record<string, string>>;
  /** Group names (as created) by configured name. */
  readonly groupNames: Readonly<Record<string, string>>;
  /** Each tenant's app client id, by tenant name. */
  readonly tenantClientIds: Readonly<Record<string, string>>;
  /** Each tenant's user group name (as created), by tenant name. */
  readonly tenantGroupNames: Readonly<Record<string, string>>;
  /** The pool resource, for `addOverride` in tests and rare escape hatches. */
  readonly userPool: CognitoUserPool;
  readonly clients: Readonly<Record<string, CognitoUserPoolClient>>;

  constructor(scope: Construct, id: string, props: IdentityProps = {}) {
    super(scope, id);
    const p = validate(props);
    const namer = Namer.of(this);

    this.userPool = new CognitoUserPool(this, "user_pool", {
      name: namer.name("cognito-user-pool", ...p.nameTokens),
      userPoolTier: p.tier,
      deletionProtection: p.deletionProtection ? "ACTIVE" : "INACTIVE",
      mfaConfiguration: p.mfa === "required" ? "ON" : "OPTIONAL",
      softwareTokenMfaConfiguration: { enabled: true },
      passwordPolicy: {
        minimumLength: p.minimumPasswordLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      ...(p.threatProtection ? { userPoolAddOns: { advancedSecurityMode: p.threatProtection } } : {}),
      adminCreateUserConfig: { allowAdminCreateUserOnly: !p.allowSelfSignUp },
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      accountRecoverySetting: { recoveryMechanism: [{ name: "verified_email", priority: 1 }] },
      ...(props.email
        ? {
            emailConfiguration: {
              emailSendingAccount: "DEVELOPER",
              fromEmailAddress: props.email.fromAddress,
              sourceArn: props.email.sesIdentityArn,
            },
          }
        : {}),
    });

    const clients: Record<string, CognitoUserPoolClient> = {};
    for (const spec of p.clients) {
      clients[spec.name] = this.appClient(`client_${spec.name}`, namer.name("generic", spec.name), spec, p);
    }
    this.clients = clients;

    const groupNames: Record<string, string> = {};
    p.groups.forEach((group, index) => {
      const created = new CognitoUserGroup(this, `group_${group}`, {
        name: namer.name("generic", group),
        userPoolId: this.userPool.id,
        precedence: index,
      });
      groupNames[group] = created.name;
    });
    this.groupNames = groupNames;

    const tenantClientIds: Record<string, string> = {};
    const tenantGroupNames: Record<string, string> = {};
    for (const tenant of p.tenants) {
      const name = namer.name("generic", tenant.name);
      const spec = tenant.client ?? { confidential: true };
      tenantClientIds[tenant.name] = this.appClient(`tenant_${tenant.name}_client`, name, spec, p).id;
      tenantGroupNames[tenant.name] = new CognitoUserGroup(this, `tenant_${tenant.name}_group`, {
        name,
        userPoolId: this.userPool.id,
        description: `Users of tenant ${tenant.name}`,
      }).name;
    }
    this.tenantClientIds = tenantClientIds;
    this.tenantGroupNames = tenantGroupNames;

    this.userPoolId = this.userPool.id;
    this.userPoolArn = this.userPool.arn;
    this.userPoolEndpoint = this.userPool.endpoint;
    this.clientIds = Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, c.id]));
  }

  private appClient(
    id: string,
    name: string,
    spec: ResolvedClientSpec,
    p: ResolvedProps,
  ): CognitoUserPoolClient {
    const callbackUrls = [...(spec.callbackUrls ?? [])];
    const logoutUrls = [...(spec.logoutUrls ?? [])];
    const oauth =
      callbackUrls.length > 0
        ? {
            allowedOauthFlows: ["code"],
            allowedOauthFlowsUserPoolClient: true,
            allowedOauthScopes: ["openid", "email", "profile"],
            callbackUrls,
            ...(logoutUrls.length > 0 ? { logoutUrls } : {}),
            supportedIdentityProviders: ["COGNITO"],
          }
        : {};
    return new CognitoUserPoolClient(this, id, {
      name,
      userPoolId: this.userPool.id,
      generateSecret: spec.confidential,
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      ...oauth,
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: p.refreshTokenValidityDays,
      tokenValidityUnits: [{ accessToken: "minutes", idToken: "minutes", refreshToken: "days" }],
    });
  }
}

export interface ResolvedClientSpec {
  readonly confidential: boolean;
  readonly callbackUrls?: readonly string[];
  readonly logoutUrls?: readonly string[];
}

interface ResolvedProps {
  readonly nameTokens: readonly string[];
  readonly mfa: "required" | "optional";
  readonly minimumPasswordLength: number;
  readonly tier: UserPoolTier;
  readonly threatProtection: "ENFORCED" | "AUDIT" | undefined;
  readonly deletionProtection: boolean;
  readonly allowSelfSignUp: boolean;
  readonly clients: readonly AppClientSpec[];
  readonly groups: readonly string[];
  readonly tenants: readonly TenantIdentitySpec[];
  readonly refreshTokenValidityDays: number;
}

function fail(prop: string, got: unknown, expected: string): never {
  throw new Error(`Identity: ${prop} must be ${expected}, got ${JSON.stringify(got)}`);
}

function unique(prop: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!TOKEN.test(name)) fail(prop, name, "a lowercase glossary word (a-z, 0-9)");
    if (seen.has(name)) fail(prop, name, "unique");
    seen.add(name);
  }
}

function validate(props: IdentityProps): ResolvedProps {
  const nameTokens = props.nameTokens ?? ["tenant", "users"];
  if (nameTokens.length === 0) fail("nameTokens", nameTokens, "at least one glossary token");
  for (const t of nameTokens)
    if (!TOKEN.test(t)) fail("nameTokens", t, "lowercase glossary words (a-z, 0-9)");

  const mfa = props.mfa ?? "required";
  if (mfa !== "required" && mfa !== "optional") fail("mfa", mfa, '"required" or "optional"');

  const minimumPasswordLength = props.minimumPasswordLength ?? 14;
  if (!Number.isInteger(minimumPasswordLength) || minimumPasswordLength < 12 || minimumPasswordLength > 99) {
    fail("minimumPasswordLength", minimumPasswordLength, "an integer from 12 to 99");
  }

  const tier = props.tier ?? "ESSENTIALS";
  if (!["LITE", "ESSENTIALS", "PLUS"].includes(tier)) fail("tier", tier, '"LITE", "ESSENTIALS" or "PLUS"');
  if (props.threatProtection && tier !== "PLUS") {
    fail(
      "threatProtection",
      props.threatProtection,
      'unset unless tier is "PLUS" (threat protection needs PLUS)',
    );
  }
  const threatProtection = tier === "PLUS" ? (props.threatProtection ?? "ENFORCED") : undefined;

  const clients = props.clients ?? [];
  unique(
    "clients[].name",
    clients.map((c) => c.name),
  );
  const checkUrls = (at: string, client: ResolvedClientSpec) => {
    for (const field of ["callbackUrls", "logoutUrls"] as const) {
      for (const url of client[field] ?? []) {
        if (!Token.isUnresolved(url) && !REDIRECT.test(url)) {
          fail(`${at}.${field}`, url, "an https:// URL (or http://localhost for development)");
        }
      }
    }
  };
  for (const [i, client] of clients.entries()) checkUrls(`clients[${i}]`, client);

  if (props.email && !/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(props.email.fromAddress))
    fail("email.fromAddress", props.email.fromAddress, "an e-mail address such as no-reply@example.com");
  const groups = props.groups ?? [];
  unique("groups[]", groups);

  const tenants = props.tenants ?? [];
  unique(
    "tenants[].name",
    tenants.map((t) => t.name),
  );
  tenants.forEach((tenant, i) => {
    // A tenant's client and group are `{env}-{tenant}`: the names an environment client or group would get.
    if (groups.includes(tenant.name) || clients.some((c) => c.name === tenant.name))
      fail(`tenants[${i}].name`, tenant.name, "different from every name in clients and groups");
    if (tenant.client) checkUrls(`tenants[${i}].client`, tenant.client);
  });

  const refreshTokenValidityDays = props.refreshTokenValidityDays ?? 30;
  if (
    !Number.isInteger(refreshTokenValidityDays) ||
    refreshTokenValidityDays < 1 ||
    refreshTokenValidityDays > 3650
  ) {
    fail("refreshTokenValidityDays", refreshTokenValidityDays, "an integer from 1 to 3650");
  }

  return {
    nameTokens,
    mfa,
    minimumPasswordLength,
    tier,
    threatProtection,
    deletionProtection: props.deletionProtection ?? true,
    allowSelfSignUp: props.allowSelfSignUp ?? false,
    clients,
    groups,
    tenants,
    refreshTokenValidityDays,
  };
}
