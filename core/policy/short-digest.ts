/**
 * A digest shortened for display, keeping what tells digests apart: the algorithm and 12 characters of the
 * hash (`sha512-256:9f2c41d0a7b3`), and for a multi-stack digest (`name=digest,…`, see `planDigest`) each
 * stack's name with its own shortened digest. Cutting the whole string at a fixed length would show
 * `sha512-256:9` for a real plan digest, or only the first stack's name for several stacks.
 */
export function shortDigest(digest: string): string {
  return digest
    .split(",")
    .map((part) => {
      const eq = part.indexOf("=");
      return eq === -1 ? shortOne(part) : `${part.slice(0, eq)}=${shortOne(part.slice(eq + 1))}`;
    })
    .join(", ");
}

function shortOne(digest: string): string {
  // Without an algorithm (a git patch-id) colon is -1: no prefix, and the first 12 characters.
  const colon = digest.lastIndexOf(":");
  return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
