import { createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/** GitHub's own wording, which @octokit/auth-app matches on to correct clock skew. */
export const JWT_MESSAGES = {
  undecodable: "A JSON web token could not be decoded",
  expFuture:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  expTooFar: "'Expiration time' claim ('exp') is too far in the future",
  iat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  integrationNotFound: "Integration not found",
} as const;

export type JwtCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** GitHub accepts an App JWT for at most ten minutes, with a little slack for clocks. */
const MAX_LIFETIME_SECONDS = 600;
const CLOCK_SLACK_SECONDS = 60;

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
}

/**
 * Verifies a GitHub App JWT as GitHub does: RS256 signed by the App's private key, `iss` the App ID (or its
 * client ID), `iat` not in the future, `exp` in the future and at most ten minutes after `iat`.
 */
export function verifyAppJwt(
  jwt: string,
  key: KeyObject | string,
  app: { readonly id: number; readonly clientId: string },
  nowSeconds: number,
): JwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, message: JWT_MESSAGES.undecodable };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = decodeSegment(headerPart);
    payload = decodeSegment(payloadPart);
  } catch {
    return { ok: false, message: JWT_MESSAGES.undecodable };
  }
  if (!isRecord(header) || header.alg !== "RS256" || !isRecord(payload)) {
    return { ok: false, message: JWT_MESSAGES.undecodable };
  }
  const publicKey = typeof key === "string" ? createPublicKey(key) : key;
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!verify("RSA-SHA256", signed, publicKey, Buffer.from(signaturePart, "base64url"))) {
    return { ok: false, message: JWT_MESSAGES.undecodable };
  }
  const { iat, exp, iss } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds + CLOCK_SLACK_SECONDS) {
    return { ok: false, message: JWT_MESSAGES.iat };
  }
  if (typeof exp !== "number" || exp <= nowSeconds) return { ok: false, message: JWT_MESSAGES.expFuture };
  if (exp - iat > MAX_LIFETIME_SECONDS || exp > nowSeconds + MAX_LIFETIME_SECONDS + CLOCK_SLACK_SECONDS) {
    return { ok: false, message: JWT_MESSAGES.expTooFar };
  }
  if (String(iss) !== String(app.id) && iss !== app.clientId) {
    return { ok: false, message: JWT_MESSAGES.integrationNotFound };
  }
  return { ok: true };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Signs an App JWT as @octokit/auth-app does (iat 30 s back, ten minutes' life); claims may be overridden. */
export function signAppJwt(
  privateKeyPem: string,
  claims: { readonly iss: number | string; readonly iat?: number; readonly exp?: number },
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const iat = claims.iat ?? nowSeconds - 30;
  const payload = { iat, exp: claims.exp ?? iat + 600, iss: claims.iss };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = sign("RSA-SHA256", Buffer.from(signingInput), privateKeyPem).toString("base64url");
  return `${signingInput}.${signature}`;
}
