import pg from "pg";
import {
  type Database,
  JOBS_CHANNEL_SQL,
  LOCK_KEY_SQL,
  type QueryOptions,
  type Transaction,
} from "./database.ts";

export interface PostgresOptions {
  readonly connectionString: string;
  /** Schema to use (created when missing); tests give each suite its own. @default "public" */
  readonly schema?: string;
  /** @default 10 */
  readonly maxConnections?: number;
  /** Do not connect now: the service starts while the server is down and connects when it can. */
  readonly lazy?: boolean;
  /**
   * The password, asked for at each new connection (a rotated one is used without a restart).
   * @default the connection string's, or PGPASSWORD
   */
  readonly password?: () => Promise<string>;
}

/** A real PostgreSQL server (RDS in production) through a `pg` connection pool. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const schema = options.schema;
  const password = options.password;
  // pg lets a connection string's (empty) password override a `password` function, so each new
  // client is given the function after construction; pg calls it once per connection.
  const Client = password
    ? class extends pg.Client {
        constructor(config?: string | pg.ClientConfig) {
          super(config);
          (this as { password?: unknown }).password = password;
        }
      }
    : undefined;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    ...(Client ? { Client } : {}),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A dropped idle connection must not crash the process; the next query reports the error instead.
  pool.on("error", () => {});
  const connect = async () => {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', "")}"`);
    else await pool.query("SELECT 1");
  };
  if (!options.lazy) await connect();
  const run = async <T>(
    q: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ) => {
    const values = params as unknown[] | undefined;
    const result = await (options?.prepare
      ? q.query({ name: options.prepare, text: sql, ...(values ? { values } : {}) })
      : q.query(sql, values));
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: "postgres",
    query: (sql, params, options) => run(pool, sql, params, options),
    async transaction(fn) {
      const client = await pool.connect();
      const lost = guard(client);
      try {
        await client.query("BEGIN");
        const value = await fn({
          query: (sql, params, options) => run(client, sql, params, options),
          exec: async (sql) => {
            await client.query(sql);
          },
        } satisfies Transaction);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        lost.release();
      }
    },
    async tryWithLock(key, fn) {
      const client = await pool.connect();
      const lost = guard(client);
      let broken = false;
      try {
        const got = await client.query(`SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS ok`, [key]);
        if (!got.rows[0]?.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [key]).catch(() => {
            broken = true; // the lock dies with the session: drop the connection rather than reuse it
          });
        }
      } finally {
        lost.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    async listenForJobs(onNotify) {
      let stopped = false;
      let current: pg.Client | undefined;
      let retry: NodeJS.Timeout | undefined;
      const reopen = () => {
        current = undefined;
        if (!stopped && !retry) retry = setTimeout(open, 1000);
      };
      const open = async () => {
        retry = undefined;
        if (stopped) return;
        const client = new (Client ?? pg.Client)({
          connectionString: options.connectionString,
          connectionTimeoutMillis: 5_000,
          application_name: "sluice jobs listener",
          ...(schema ? { options: `-c search_path=${schema}` } : {}),
        });
        let channel = "";
        client.on("error", () => {}); // "end" follows and reopens
        client.on("end", () => {
          if (current === client) reopen();
        });
        client.on("notification", (message) => {
          if (message.channel === channel) onNotify();
        });
        try {
          await client.connect();
          const named = await client.query<{ channel: string }>(`SELECT ${JOBS_CHANNEL_SQL} AS channel`);
          channel = named.rows[0]?.channel ?? "";
          if (!/^sluice_jobs_[0-9a-f]{32}$/.test(channel)) throw new Error("unexpected channel name");
          await client.query(`LISTEN "${channel}"`);
          current = client;
          onNotify(); // whatever was announced while no connection listened
        } catch {
          client.end().catch(() => {});
          reopen();
        }
      };
      await open();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        await current?.end().catch(() => {});
      };
    },
    connect,
    close: () => pool.end(),
  };
}

/**
 * A checked-out client whose connection dies while no query is pending emits 'error'; without a listener
 * that would crash the process. The listener notes it, and the client is then destroyed on release.
 */
function guard(client: pg.PoolClient): { release(broken?: boolean): void } {
  let dead = false;
  const onError = () => {
    dead = true;
  };
  client.on("error", onError);
  return {
    release(broken = false) {
      client.off("error", onError);
      client.release(broken || dead);
    },
  };
}
