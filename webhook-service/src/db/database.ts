/** The one SQL layer: PGlite (embedded) and `pg` (a real PostgreSQL server) speak the same SQL behind this. */
export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows inserted, updated or deleted (0 for a SELECT on PGlite). */
  readonly rowCount: number;
}

export interface QueryOptions {
  /**
   * Runs `sql` as the prepared statement of this name: PostgreSQL parses it once per connection and may keep
   * its plan. For a hot statement whose text never changes; one name, one text. PGlite ignores it.
   */
  readonly prepare?: string;
}

export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<T>>;
}

export interface Transaction extends Queryable {
  /** Multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the advisory lock named `key`, or returns `{ acquired: false }` at once when
   * another session (another replica) holds it. The lock is a PostgreSQL session-level advisory lock on a
   * dedicated connection, so `fn` may take its time (GitHub calls) without holding a transaction open.
   */
  tryWithLock<T>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }>;
  /** Multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Calls `onNotify` whenever any session (another process) announces a new job in this schema (see
   * JOBS_CHANNEL_SQL), on a connection of its own that is reopened when it drops; resolves to a function that
   * stops listening. PostgreSQL only: PGlite belongs to one process, which wakes its own worker.
   */
  listenForJobs?(onNotify: () => void): Promise<() => Promise<void>>;
  /** Connects (and creates the configured schema); throws while the server is unreachable. */
  connect(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The NOTIFY channel a new job is announced on, so that workers in other processes start it at once. One per
 * schema: deployments that share a database in separate schemas do not wake each other. (A hash keeps the
 * name within PostgreSQL's 63 bytes whatever the schema's name.)
 */
export const JOBS_CHANNEL_SQL = "'sluice_jobs_' || md5(coalesce(current_schema(), ''))";

/** A 64-bit advisory-lock key from a text key, computed by PostgreSQL itself so every replica agrees. */
export const LOCK_KEY_SQL = "hashtextextended($1, 0)";
