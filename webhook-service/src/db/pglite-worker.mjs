// @ts-check
// PGlite on its own thread (see pglite.ts): its WASM runs synchronously, so on the main thread every query
// (a 24 KB delivery body takes about a millisecond) would stall HTTP handling. Plain JavaScript because a
// worker thread does not inherit the TypeScript loader of `tsx` or vitest.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);
/** @type {PGlite} */
let db;
/** @type {Map<number, { tx: import("@electric-sql/pglite").Transaction, end: (commit: boolean) => void, done?: Promise<unknown> }>} */
const transactions = new Map();
const ROLLBACK = Symbol("rollback");

/** @param {unknown} error */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const { message, name } = error;
  const fields = /** @type {Record<string, unknown>} */ (error);
  /** @type {Record<string, unknown>} */
  const out = { message, name };
  for (const key of [
    "code",
    "detail",
    "hint",
    "position",
    "schema",
    "table",
    "column",
    "constraint",
    "severity",
  ]) {
    if (typeof fields[key] === "string" || typeof fields[key] === "number") out[key] = fields[key];
  }
  return out;
}

/** @param {{ op: string, sql?: string, params?: unknown[], tx?: number }} m */
async function handle(m) {
  switch (m.op) {
    case "open":
      db = await PGlite.create(workerData?.dataDir);
      return null;
    case "query": {
      const r = await db.query(/** @type {string} */ (m.sql), m.params);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    }
    case "exec":
      await db.exec(/** @type {string} */ (m.sql));
      return null;
    case "begin": {
      const id = /** @type {number} */ (m.tx);
      /** @type {(value: unknown) => void} */
      let opened = () => {};
      const ready = new Promise((resolve) => {
        opened = resolve;
      });
      const done = db
        .transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              transactions.set(id, { tx, end: (commit) => (commit ? resolve(null) : reject(ROLLBACK)) });
              opened(null);
            }),
        )
        .catch((error) => {
          if (error !== ROLLBACK) throw error;
        })
        .finally(() => transactions.delete(id));
      // A failure to begin is reported now; later ones by commit or rollback.
      await Promise.race([ready, done]);
      const opened_ = transactions.get(id);
      if (opened_) opened_.done = done;
      return null;
    }
    case "tx-query": {
      const t = transactions.get(/** @type {number} */ (m.tx));
      if (!t) throw new Error(`no open transaction ${m.tx}`);
      const r = await t.tx.query(/** @type {string} */ (m.sql), m.params);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    }
    case "tx-exec": {
      const t = transactions.get(/** @type {number} */ (m.tx));
      if (!t) throw new Error(`no open transaction ${m.tx}`);
      await t.tx.exec(/** @type {string} */ (m.sql));
      return null;
    }
    case "commit":
    case "rollback": {
      const t = transactions.get(/** @type {number} */ (m.tx));
      if (!t) throw new Error(`no open transaction ${m.tx}`);
      const done = t.done;
      t.end(m.op === "commit");
      await done;
      return null;
    }
    case "close":
      await db?.close();
      return null;
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

port.on("message", (/** @type {{ id: number, op: string }} */ m) => {
  handle(m).then(
    (result) => port.postMessage({ id: m.id, result }),
    (error) => port.postMessage({ id: m.id, error: describe(error) }),
  );
});
