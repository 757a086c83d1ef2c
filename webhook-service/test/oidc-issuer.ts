import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

/** Who the issuer's authorization endpoint logs in (no login form: tests choose the user). */
export interface IssuerUser {
  readonly sub: string;
  readonly [claim: string]: unknown;
}

export interface SignOptions {
  /** @default the audience given to startOidcIssuer */
  readonly audience?: string;
  /** Seconds from now; negative makes an expired token. @default 300 */
  readonly expiresIn?: number;
  /** Sign with a key the issuer does not publish. @default false */
  readonly foreignKey?: boolean;
  /** Override `iss`. */
  readonly issuer?: string;
}

export interface OidcIssuer {
  readonly url: string;
  /** Signs a token with the issuer's published key (or a foreign one). */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** The user the next authorization request logs in. */
  user: IssuerUser;
  /** Claims of the tokens the Actions token endpoint (`/actions-token`) hands out. */
  actionsClaims: JWTPayload;
  /** The request token the Actions token endpoint expects as its bearer (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  readonly actionsRequestToken: string;
  /** Token requests seen, for assertions on PKCE. */
  readonly tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A local OpenID Connect issuer on loopback: discovery, JWKS, token signing (GitHub Actions style tokens),
 * and an authorization-code flow with PKCE (S256) for dashboard logins.
 */
export async function startOidcIssuer(options: { audience?: string } = {}): Promise<OidcIssuer> {
  const keys = await generateKeyPair("RS256");
  const foreign = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const codes = new Map<
    string,
    { challenge: string; clientId: string; redirectUri: string; nonce: string; user: IssuerUser }
  >();
  const tokenRequests: URLSearchParams[] = [];
  let url = "";

  const sign = async (claims: JWTPayload, o: SignOptions = {}, key: CryptoKey = keys.privateKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" })
      .setIssuer(o.issuer ?? url)
      .setAudience(o.audience ?? options.audience ?? "sluice")
      .setIssuedAt(now - 5)
      .setNotBefore(now - 5)
      .setExpirationTime(now + (o.expiresIn ?? 300))
      .sign(o.foreignKey ? foreign.privateKey : key);
  };

  const issuer: OidcIssuer = {
    url: "",
    user: { sub: "user-1", preferred_username: "auditor" },
    tokenRequests,
    actionsClaims: { repository: "acme/infra", actor: "dave" },
    actionsRequestToken: randomBytes(12).toString("hex"),
    sign: (claims, o) => sign(claims, o),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? "/", url);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    if (u.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks`,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        response_types_supported: ["code"],
        code_challenge_methods_supported: ["S256"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (u.pathname === "/.well-known/jwks") return json(200, { keys: [jwk] });
    if (u.pathname === "/actions-token") {
      // GitHub Actions' ID-token endpoint: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, ?audience=..., answers {value}.
      if ((req.headers.authorization ?? "").replace(/^bearer /i, "") !== issuer.actionsRequestToken)
        return json(401, { message: "bad request token" });
      const audience = u.searchParams.get("audience") ?? undefined;
      return json(200, { count: 1, value: await sign(issuer.actionsClaims, audience ? { audience } : {}) });
    }
    if (u.pathname === "/authorize") {
      const p = u.searchParams;
      if (
        p.get("response_type") !== "code" ||
        p.get("code_challenge_method") !== "S256" ||
        !p.get("code_challenge")
      ) {
        return json(400, {
          error: "invalid_request",
          error_description: "code flow with S256 PKCE required",
        });
      }
      const code = randomBytes(16).toString("hex");
      codes.set(code, {
        challenge: p.get("code_challenge") ?? "",
        clientId: p.get("client_id") ?? "",
        redirectUri: p.get("redirect_uri") ?? "",
        nonce: p.get("nonce") ?? "",
        user: issuer.user,
      });
      const back = new URL(p.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", p.get("state") ?? "");
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (u.pathname === "/token" && req.method === "POST") {
      const p = new URLSearchParams(await body(req));
      tokenRequests.push(p);
      const grant = codes.get(p.get("code") ?? "");
      codes.delete(p.get("code") ?? "");
      const verifier = p.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== p.get("redirect_uri")) {
        return json(400, { error: "invalid_grant" });
      }
      const { sub, ...claims } = grant.user;
      const idToken = await sign({ ...claims, sub, nonce: grant.nonce }, { audience: grant.clientId });
      return json(200, {
        id_token: idToken,
        access_token: randomBytes(8).toString("hex"),
        token_type: "Bearer",
      });
    }
    json(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (issuer as { url: string }).url = url;
  return issuer;
}
