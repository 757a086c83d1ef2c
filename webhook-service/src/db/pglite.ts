import { mkdirSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { lockDataDir } from "./data-dir-lock.ts";
import { type Database, LOCK_KEY_SQL, type QueryResult, type Transaction } from "./database.ts";

type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } };

/**
 * Embedded PostgreSQL (PGlite) in `dataDir`, or in memory when it is undefined. PGlite runs on a worker
 * thread (pglite-worker.mjs): its WASM is synchronous, and on the main thread each query would stall every
 * HTTP request meanwhile (about a millisecond per stored 24 KB delivery).
 *
 * PGlite is one connection in one process: its data directory cannot be shared by two processes, so several
 * replicas need DATABASE_URL. Advisory locks still go through PostgreSQL, and an in-process lock set makes
 * `tryWithLock` exclusive between concurrent jobs of this process (they share PGlite's one session, where
 * advisory locks re-enter).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  const worker = new Worker(new URL("./pglite-worker.mjs", import.meta.url), { workerData: { dataDir } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  let failure: Error | undefined;
  worker.on("message", (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error) waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
    else waiter.resolve(reply.result);
  });
  const fail = (error: Error) => {
    failure = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the PGlite thread exited (code ${code})`)));
  const call = (message: { op: string; sql?: string; params?: readonly unknown[]; tx?: number }) =>
    new Promise<unknown>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  const query = async <T>(sql: string, params?: readonly unknown[], tx?: number) =>
    (await call({
      op: tx === undefined ? "query" : "tx-query",
      sql,
      ...(params ? { params } : {}),
      ...(tx === undefined ? {} : { tx }),
    })) as QueryResult<T>;
  try {
    await call({ op: "open" });
  } catch (error) {
    await worker.terminate();
    release();
    throw error;
  }

  const held = new Set<string>();
  let transactions = 0;
  return {
    kind: "pglite",
    query: (sql, params) => query(sql, params),
    async transaction(fn) {
      const tx = transactions++;
      await call({ op: "begin", tx });
      let value: Awaited<ReturnType<typeof fn>>;
      try {
        value = await fn({
          query: (sql, params) => query(sql, params, tx),
          exec: async (sql) => {
            await call({ op: "tx-exec", sql, tx });
          },
        } satisfies Transaction);
      } catch (error) {
        await call({ op: "rollback", tx });
        throw error;
      }
      await call({ op: "commit", tx });
      return value;
    },
    async tryWithLock(key, fn) {
      if (held.has(key)) return { acquired: false };
      held.add(key);
      try {
        const got = await query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS ok`, [key]);
        if (!got.rows[0]?.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [key]);
        }
      } finally {
        held.delete(key);
      }
    },
    exec: async (sql) => {
      await call({ op: "exec", sql });
    },
    connect: async () => {},
    async close() {
      try {
        if (failure) return;
        await call({ op: "close" });
        await worker.terminate();
      } finally {
        release();
      }
    },
  };
}
