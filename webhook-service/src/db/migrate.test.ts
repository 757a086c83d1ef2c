import { describe, expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { loadMigrations, migrate, migrationsDone } from "./migrate.ts";

describe("loadMigrations", () => {
  it("reads the numbered migrations in order, starting at 0001", () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});

eachDatabase("migrate", (t) => {
  it("applies nothing twice and reports the schema ready", async () => {
    const { db } = t();
    expect(await migrate(db)).toEqual([]);
    expect(await migrationsDone(db)).toBe(true);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["audit_log", "decisions", "deliveries", "jobs", "plan_reviews"]),
    );
  });

  it("compresses stored delivery bodies with lz4 on PostgreSQL, and keeps PGlite's default (it has no lz4)", async () => {
    const { db, kind } = t();
    const column = await db.query<{ compression: string }>(
      `SELECT attcompression::text AS compression FROM pg_attribute
       WHERE attrelid = 'deliveries'::regclass AND attname = 'payload'`,
    );
    expect(column.rows[0]?.compression).toBe(kind === "postgres" ? "l" : "");
  });

  it("0009 keeps the merge commits of merged pull requests stored before it, and no other", async () => {
    const migrations = loadMigrations();
    const legacy = `legacy_${process.pid}`;
    const done = new Error("rolled back");
    const closed = (merged: boolean, sha: string) =>
      JSON.stringify({
        action: "closed",
        pull_request: { merged, merge_commit_sha: sha, head: { sha: "h".repeat(40) } },
      });
    let rows: unknown[] = [];
    // In a schema of its own, in a transaction that is rolled back: the schema as it was before 0009.
    await t()
      .db.transaction(async (tx) => {
        await tx.exec(`CREATE SCHEMA ${legacy}; SET LOCAL search_path TO ${legacy}`);
        for (const m of migrations.filter((m) => m.version < 9)) await tx.exec(m.sql);
        await tx.query(
          `INSERT INTO deliveries (id, event, action, repository, payload) VALUES
             ('merged', 'pull_request', 'closed', 'acme/infra', $1),
             ('unmerged', 'pull_request', 'closed', 'acme/infra', $2),
             ('form', 'pull_request', 'closed', 'acme/infra', 'payload=%7B%7D'),
             ('push', 'push', NULL, 'acme/infra', '{}')`,
          [closed(true, "m".repeat(40)), closed(false, "u".repeat(40))],
        );
        const migration = migrations.find((m) => m.version === 9);
        if (!migration) throw new Error("migration 0009 is missing");
        await tx.exec(migration.sql);
        rows = (
          await tx.query(
            "SELECT id, head_sha, merge_commit_sha, payload IS NOT NULL AS kept FROM deliveries ORDER BY id",
          )
        ).rows;
        throw done;
      })
      .catch((error: unknown) => {
        if (error !== done) throw error;
      });
    expect(rows).toEqual([
      { id: "form", head_sha: null, merge_commit_sha: null, kept: true },
      { id: "merged", head_sha: "h".repeat(40), merge_commit_sha: "m".repeat(40), kept: true },
      { id: "push", head_sha: null, merge_commit_sha: null, kept: true },
      { id: "unmerged", head_sha: null, merge_commit_sha: null, kept: true },
    ]);
  });

  it("serializes advisory locks by key: a held key is refused, another key is not", async () => {
    const { db } = t();
    const inner = await db.tryWithLock("pr:o/r#1", async () => {
      const same = await db.tryWithLock("pr:o/r#1", async () => "no");
      const other = await db.tryWithLock("pr:o/r#2", async () => "yes");
      return [same.acquired, other.acquired];
    });
    expect(inner).toEqual({ acquired: true, value: [false, true] });
    expect((await db.tryWithLock("pr:o/r#1", async () => 1)).acquired).toBe(true);
  });
});
