import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A logged-in user, as kept in the signed session cookie. */
export interface Session {
  /** Shown name (login claim, e-mail or subject). */
  readonly user: string;
  /** GitHub accounts whose repositories the user sees; "*" in local mode (the operator). */
  readonly accounts: readonly string[] | "*";
  /** Per-session CSRF token, carried by every state-changing form. */
  readonly csrf: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export const SESSION_COOKIE = "sluice_session";

function mac(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data).digest("base64url");
}

/** `payload.mac`, both base64url; the MAC is HMAC-SHA256 under the session secret. */
export function signValue(secret: string, value: unknown): string {
  const data = Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${data}.${mac(secret, data)}`;
}

/** The value signed by `signValue`, or undefined when the signature does not match. */
export function verifyValue<T>(secret: string, signed: string | undefined): T | undefined {
  if (!signed) return undefined;
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const data = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(mac(secret, data));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export function newSession(
  user: string,
  accounts: Session["accounts"],
  seconds: number,
  now = Date.now(),
): Session {
  return {
    user,
    accounts,
    csrf: randomBytes(18).toString("base64url"),
    exp: Math.floor(now / 1000) + seconds,
  };
}

/** The session in a cookie value, when the signature holds and it has not expired. */
export function readSession(
  secret: string,
  cookie: string | undefined,
  now = Date.now(),
): Session | undefined {
  const session = verifyValue<Session>(secret, cookie);
  if (!session || typeof session.exp !== "number" || session.exp * 1000 <= now) return undefined;
  if (typeof session.user !== "string" || typeof session.csrf !== "string") return undefined;
  return session;
}

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
