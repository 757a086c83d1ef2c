import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

/** GitHub Actions' token issuer; OIDC_ISSUER replaces it (tests run their own issuer on loopback). */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** The claims of a GitHub Actions OIDC token that the service reads. */
export interface ActionsClaims extends JWTPayload {
  /** "owner/name" of the repository whose workflow asked for the token. */
  readonly repository: string;
  /** Login of the person whose action started the workflow run. */
  readonly actor?: string;
  readonly sha?: string;
  readonly ref?: string;
  readonly environment?: string;
  readonly run_id?: string;
}

/** A token that is not accepted; the message says why and never quotes the token. */
export class OidcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OidcError";
  }
}

export interface OidcOptions {
  /** Expected `iss`; its JWKS is found through `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** Expected `aud`. */
  readonly audience: string;
  /** Allowed clock skew in seconds. @default 60 */
  readonly clockToleranceSeconds?: number;
}

export type ActionsTokenVerifier = (token: string) => Promise<ActionsClaims>;

/** Reads `jwks_uri` from the issuer's discovery document; falls back to `<issuer>/.well-known/jwks` (GitHub's). */
async function discoverJwks(issuer: string): Promise<URL> {
  const base = issuer.replace(/\/+$/, "");
  try {
    const response = await fetch(`${base}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    });
    if (response.ok) {
      const doc = (await response.json()) as { jwks_uri?: unknown };
      if (typeof doc.jwks_uri === "string") return new URL(doc.jwks_uri);
    }
  } catch {
    // Fall through to the well-known location.
  }
  return new URL(`${base}/.well-known/jwks`);
}

function explain(error: unknown, options: OidcOptions): OidcError {
  if (error instanceof OidcError) return error;
  if (error instanceof errors.JWTExpired) return new OidcError("the OIDC token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") {
      return new OidcError(
        `the OIDC token's audience is not '${options.audience}' (set the audience the service expects)`,
      );
    }
    if (error.claim === "iss") return new OidcError(`the OIDC token was not issued by ${options.issuer}`);
    return new OidcError(`the OIDC token's '${error.claim}' claim is not acceptable: ${error.reason}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new OidcError(`the OIDC token is not signed by a key of ${options.issuer}`);
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new OidcError("the OIDC token is not a well-formed JWT");
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new OidcError("the OIDC token's algorithm is not allowed");
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new OidcError(`the keys of ${options.issuer} could not be fetched`);
  }
  return new OidcError("the OIDC token could not be verified");
}

/**
 * A verifier of GitHub Actions OIDC tokens: signature against the issuer's JWKS (fetched once, refreshed
 * by jose on an unknown key id), `iss`, `aud`, `exp`/`nbf`, and a `repository` claim of the form owner/name.
 */
export function actionsTokenVerifier(options: OidcOptions): ActionsTokenVerifier {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const jwks = () => {
    keys ??= discoverJwks(options.issuer).then((url) => createRemoteJWKSet(url, { timeoutDuration: 5000 }));
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  return async (token) => {
    if (token?.split(".").length !== 3) throw new OidcError("the OIDC token is not a well-formed JWT");
    try {
      const { payload } = await jwtVerify(token, await jwks(), {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256", "ES256", "PS256"],
        clockTolerance: options.clockToleranceSeconds ?? 60,
        requiredClaims: ["exp", "iat"],
      });
      const repository = payload.repository;
      if (typeof repository !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(repository)) {
        throw new OidcError("the OIDC token has no 'repository' claim of the form owner/name");
      }
      return payload as ActionsClaims;
    } catch (error) {
      throw explain(error, options);
    }
  };
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** Whether the token's repository claim names the repository the request is about (case-insensitive). */
export function sameRepository(claims: ActionsClaims, repository: string): boolean {
  return claims.repository.toLowerCase() === repository.toLowerCase();
}
