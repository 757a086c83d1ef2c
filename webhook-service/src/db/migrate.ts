import { readdirSync, readFileSync } from "node:fs";
import type { Database } from "./database.ts";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The versioned migrations in db/migrations/ (NNNN_name.sql), in order. CORE uses 0001–0049, GATE 0050+. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const seen = new Map<number, string>();
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .map((name) => {
      const match = FILE_NAME.exec(name);
      if (!match) throw new Error(`${name}: migration file names must look like 0001_create_things.sql`);
      const version = Number(match[1]);
      const other = seen.get(version);
      if (other) throw new Error(`${name}: version ${version} is already used by ${other}`);
      seen.set(version, name);
      return { version, name, sql: readFileSync(new URL(name, dir), "utf8") };
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * Applies the migrations not applied yet, each in its own transaction, under a transaction-scoped advisory
 * lock so replicas starting together apply each migration once. Returns the names applied now.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<string[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version integer PRIMARY KEY,
       name text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('sluice:migrate', 0))");
      const have = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (have.rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return applied;
}

/** True when every known migration is applied (for /readyz). */
export async function migrationsDone(db: Database, migrations: readonly Migration[] = loadMigrations()) {
  const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
  const have = new Set(rows.rows.map((r) => Number(r.version)));
  return migrations.every((m) => have.has(m.version));
}
