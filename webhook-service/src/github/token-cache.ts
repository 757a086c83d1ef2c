/**
 * The installation-token cache given to @octokit/auth-app. Its own cache keeps a token 59 minutes whatever
 * the token's `expires_at` says, so a shorter lifetime (GitHub Enterprise Server settings, a clock ahead of
 * GitHub's) is used past its expiry and every call fails with 401 until the hour is up. This one gives an
 * entry back only while its token has more than `marginMs` left; after that auth-app asks for a new token.
 *
 * auth-app stores "token|createdAt|expiresAt|…" (its cache.js); an entry whose expiry cannot be read is
 * treated as expired, so a change of that format costs a token request, never a stale token.
 */
export function expiringTokenCache(marginMs = 5 * 60_000, now: () => number = Date.now) {
  const entries = new Map<string, string>();
  return {
    get(key: string): string | undefined {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      const expiresAt = Date.parse(value.split("|")[2] ?? "");
      if (Number.isFinite(expiresAt) && expiresAt - now() > marginMs) return value;
      entries.delete(key);
      return undefined;
    },
    set(key: string, value: string): void {
      entries.set(key, value);
    },
  };
}
