import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import type { Database } from "../src/db/database.ts";
import { migrate } from "../src/db/migrate.ts";
import { openPglite } from "../src/db/pglite.ts";
import { openPostgres } from "../src/db/postgres.ts";

// Opening PGlite takes seconds, more on a loaded 2-core machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

export interface TestDatabase {
  /** The migrated database of the current half (valid inside tests and hooks). */
  readonly db: Database;
  readonly kind: "pglite" | "postgres";
  /** For the PostgreSQL half: a URL and schema another process can use to open the same database. */
  readonly url?: string;
  readonly schema?: string;
}

/** The real PostgreSQL server for tests, or undefined (outside CI the PostgreSQL half then says it did not run). */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/**
 * Runs `suite` twice: against embedded PGlite (in memory) and against the real PostgreSQL server named by
 * TEST_DATABASE_URL, each in a freshly migrated database (PostgreSQL: a schema of its own, dropped after).
 * With CI=true and no TEST_DATABASE_URL the PostgreSQL half fails; outside CI it prints that it did not run.
 */
export function eachDatabase(name: string, suite: (t: () => TestDatabase) => void): void {
  describe(`${name} [pglite]`, () => {
    let current: TestDatabase | undefined;
    beforeAll(async () => {
      const db = await openPglite();
      await migrate(db);
      current = { db, kind: "pglite" };
    });
    afterAll(async () => {
      await current?.db.close();
    });
    suite(() => {
      if (!current) throw new Error("the PGlite database is not open yet");
      return current;
    });
  });
  postgresOnly(`${name} [postgres]`, (t) => suite(t));
}

/** Runs `suite` only against real PostgreSQL (e.g. two processes on one database), with the same CI rule. */
export function postgresOnly(name: string, suite: (t: () => TestDatabase) => void): void {
  const url = testDatabaseUrl();
  if (!url) {
    if (process.env.CI === "true") {
      describe(name, () => {
        it("needs TEST_DATABASE_URL (CI=true: the PostgreSQL half must run)", () => {
          throw new Error(
            "TEST_DATABASE_URL is not set, so the PostgreSQL half of the storage tests cannot run",
          );
        });
      });
    } else {
      console.warn(
        `NOT RUN: ${name}: TEST_DATABASE_URL is not set (set it to a PostgreSQL database to run it)`,
      );
    }
    return;
  }
  describe(name, () => {
    let current: TestDatabase | undefined;
    const schema = `test_${randomBytes(6).toString("hex")}`;
    beforeAll(async () => {
      const db = await openPostgres({ connectionString: url, schema });
      await migrate(db);
      current = { db, kind: "postgres", url, schema };
    });
    afterAll(async () => {
      await current?.db.close();
      await dropSchema(url, schema);
    });
    suite(() => {
      if (!current) throw new Error("the PostgreSQL database is not open yet");
      return current;
    });
  });
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A connection string that puts another process (or pool) in the test's own schema. */
export function schemaUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}
