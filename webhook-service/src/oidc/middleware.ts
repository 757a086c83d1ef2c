import type { MiddlewareHandler } from "hono";
import { type ActionsClaims, type ActionsTokenVerifier, bearerToken, OidcError } from "./verify.ts";

export type ActionsEnv = { Variables: { claims: ActionsClaims } };

/**
 * Requires a GitHub Actions OIDC token as the bearer token: 401 with the reason when it is missing or not
 * accepted (the token is never echoed). The verified claims are `c.get("claims")`.
 */
export function requireActionsToken(verify: ActionsTokenVerifier): MiddlewareHandler<ActionsEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    if (!token) {
      return c.json(
        {
          error:
            "authentication required: send a GitHub Actions OIDC token as 'Authorization: Bearer <token>'",
        },
        401,
        { "www-authenticate": 'Bearer realm="sluice"' },
      );
    }
    try {
      c.set("claims", await verify(token));
    } catch (error) {
      const message = error instanceof OidcError ? error.message : "the OIDC token could not be verified";
      return c.json({ error: message }, 401, {
        "www-authenticate": 'Bearer realm="sluice", error="invalid_token"',
      });
    }
    await next();
  };
}
