import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import type { DashboardOidc } from "../gate/config.ts";

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  issuer: string;
}

/** The pending login kept in a short-lived signed cookie between the redirect and the callback. */
export interface PendingLogin {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly exp: number;
}

/** OpenID Connect authorization-code login with PKCE (S256), against any provider by discovery (Cognito included). */
export function oidcLogin(config: DashboardOidc) {
  let discovery: Promise<Discovery> | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const discover = () => {
    discovery ??= fetch(`${config.issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    })
      .then(async (r) => {
        if (!r.ok) throw new Error(`discovery answered ${r.status}`);
        return (await r.json()) as Discovery;
      })
      .catch((error) => {
        discovery = undefined;
        throw error;
      });
    return discovery;
  };
  return {
    /** Where to send the browser, and what to remember until it comes back. */
    async start(): Promise<{ url: string; pending: PendingLogin }> {
      const d = await discover();
      const pending: PendingLogin = {
        state: randomBytes(16).toString("base64url"),
        nonce: randomBytes(16).toString("base64url"),
        verifier: randomBytes(32).toString("base64url"),
        exp: Math.floor(Date.now() / 1000) + 600,
      };
      const url = new URL(d.authorization_endpoint);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("redirect_uri", config.redirectUri);
      url.searchParams.set("scope", "openid profile email");
      url.searchParams.set("state", pending.state);
      url.searchParams.set("nonce", pending.nonce);
      url.searchParams.set(
        "code_challenge",
        createHash("sha256").update(pending.verifier).digest("base64url"),
      );
      url.searchParams.set("code_challenge_method", "S256");
      return { url: url.toString(), pending };
    },
    /** Exchanges the code (with the PKCE verifier) and verifies the ID token: issuer, audience, nonce, signature. */
    async finish(code: string, pending: PendingLogin): Promise<JWTPayload> {
      const d = await discover();
      const body = new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: config.redirectUri,
        client_id: config.clientId,
        code_verifier: pending.verifier,
      });
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      };
      if (config.clientSecret) {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString("base64")}`;
      }
      const response = await fetch(d.token_endpoint, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`the identity provider refused the code (HTTP ${response.status})`);
      const tokens = (await response.json()) as { id_token?: unknown };
      if (typeof tokens.id_token !== "string") throw new Error("the identity provider returned no ID token");
      jwks ??= createRemoteJWKSet(new URL(d.jwks_uri));
      const { payload } = await jwtVerify(tokens.id_token, jwks, {
        issuer: d.issuer,
        audience: config.clientId,
        clockTolerance: 60,
      });
      if (payload.nonce !== pending.nonce) throw new Error("the ID token's nonce does not match this login");
      return payload;
    },
  };
}
