import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { type Database, LOCK_KEY_SQL, type QueryResult, type Transaction } from "./database.ts";

/**
 * Embedded PostgreSQL (PGlite) in `dataDir`, or in memory when it is undefined. PGlite is one connection in
 * one process: its data directory cannot be shared by two processes, so several replicas need DATABASE_URL.
 * Advisory locks still go through PostgreSQL, and an in-process lock set makes `tryWithLock` exclusive
 * between concurrent jobs of this process (they share PGlite's one session, where advisory locks re-enter).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const held = new Set<string>();
  const query = async <T>(q: Pick<PGlite, "query">, sql: string, params?: readonly unknown[]) => {
    const result = await q.query<T>(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? 0 } satisfies QueryResult<T>;
  };
  return {
    kind: "pglite",
    query: (sql, params) => query(db, sql, params),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (sql, params) => query(tx, sql, params),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        } satisfies Transaction),
      ),
    async tryWithLock(key, fn) {
      if (held.has(key)) return { acquired: false };
      held.add(key);
      try {
        const got = await db.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS ok`, [
          key,
        ]);
        if (!got.rows[0]?.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await db.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [key]);
        }
      } finally {
        held.delete(key);
      }
    },
    exec: async (sql) => {
      await db.exec(sql);
    },
    connect: async () => {},
    close: () => db.close(),
  };
}
