import { readFile } from "node:fs/promises";
import type { Database } from "./database.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/**
 * DATABASE_URL set: that PostgreSQL server (connected later: it may be down at start), with the password
 * read from `databasePasswordFile` at each new connection when given; unset: embedded PGlite in `dataDir`.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  databasePasswordFile?: string;
  dataDir: string;
}): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres({
      connectionString: options.databaseUrl,
      lazy: true,
      ...(options.databasePasswordFile ? { password: passwordFromFile(options.databasePasswordFile) } : {}),
    });
  }
  return openPglite(options.dataDir);
}

/**
 * A password read from a file at every call, so a rotated secret (the Secrets Store CSI driver rewrites
 * the mounted file) is used by the next connection without a restart. One final newline is dropped.
 * A failure names the file, never its content.
 */
export function passwordFromFile(path: string): () => Promise<string> {
  return async () => {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new Error(`cannot read the database password file ${path} (${code})`);
    }
    return text.replace(/\r?\n$/, "");
  };
}
