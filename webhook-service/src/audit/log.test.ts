import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { auditVerify } from "../../../cli/commands/audit.ts";
import { eachDatabase } from "../../test/databases.ts";
import type { Database } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { openPglite } from "../db/pglite.ts";
import { type AuditEvent, appendAudit, readAudit, verifyAudit } from "./log.ts";

const event = (i: number): AuditEvent => ({
  actor: i % 2 ? "octocat" : "sluice",
  action: i % 2 ? "delivery.received" : "decision.published",
  repository: "acme/infra",
  pullNumber: 7,
  headSha: `${i}`.repeat(40).slice(0, 40),
  planDigest: `sha256:${i}`,
  details: { n: i, nested: { b: 1, a: [1, "x"] } },
});

/** Rewrites audit rows behind the trigger's back, as someone with table-owner rights could. */
async function tamper(db: Database, sql: string): Promise<void> {
  await db.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
  try {
    await db.query(sql);
  } finally {
    await db.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
  }
}

eachDatabase("audit log", (t) => {
  beforeEach(async () => {
    await t().db.query("TRUNCATE audit_log");
    for (let i = 1; i <= 5; i++) await appendAudit(t().db, event(i));
  });

  it("chains rows and verifies an untouched log", async () => {
    const rows = [];
    for await (const r of readAudit(t().db, 2)) rows.push(r);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[2]?.details).toEqual({ n: 3, nested: { a: [1, "x"], b: 1 } });
    expect(await verifyAudit(t().db)).toMatchObject({ ok: true, rows: 5, lastHash: rows[4]?.hash });
  });

  it("refuses UPDATE and DELETE", async () => {
    await expect(t().db.query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")).rejects.toThrow(
      /append-only/,
    );
    await expect(t().db.query("DELETE FROM audit_log WHERE seq = 2")).rejects.toThrow(/append-only/);
  });

  it("names an edited row", async () => {
    await tamper(t().db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
    expect(await verifyAudit(t().db)).toMatchObject({ ok: false, seq: 3, problem: "edited" });
  });

  it("names an edited detail even when the JSON key order differs", async () => {
    await tamper(
      t().db,
      `UPDATE audit_log SET details = '{"n": 4, "nested": {"a": [1, "x"], "b": 2}}' WHERE seq = 4`,
    );
    expect(await verifyAudit(t().db)).toMatchObject({ ok: false, seq: 4, problem: "edited" });
  });

  it("names a deleted row", async () => {
    await tamper(t().db, "DELETE FROM audit_log WHERE seq = 2");
    expect(await verifyAudit(t().db)).toMatchObject({ ok: false, seq: 2, problem: "deleted" });
  });

  it("names a row inserted with a self-consistent hash that does not link to its predecessor", async () => {
    // Delete row 3 and put a forged row 3 in its place whose own hash is right but whose link is invented.
    const rows = [];
    for await (const r of readAudit(t().db)) rows.push(r);
    const { auditHash } = await import("./log.ts");
    const forged = { ...rows[2], actor: "mallory", prevHash: "f".repeat(64) } as (typeof rows)[number];
    const hash = auditHash(forged);
    await tamper(
      t().db,
      `UPDATE audit_log SET actor = 'mallory', prev_hash = '${"f".repeat(64)}', hash = '${hash}' WHERE seq = 3`,
    );
    expect(await verifyAudit(t().db)).toMatchObject({ ok: false, seq: 3, problem: "inserted" });
  });

  it("serializes concurrent appenders into one chain", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(t().db, event(10 + i))));
    expect(await verifyAudit(t().db)).toMatchObject({ ok: true, rows: 25 });
  });
});

describe("sluice audit verify", () => {
  const run = async (args: string[], cwd: string) => {
    let err = "";
    const code = await auditVerify
      .run(args, {
        stdout: () => {},
        stderr: (s) => {
          err += s;
        },
        cwd,
        env: {},
        readStdin: async () => "",
      })
      .catch((error: Error) => {
        err += error.message;
        return -1;
      });
    return { code, err };
  };

  it("says plainly when there is no audit log to verify, and creates nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-audit-"));
    try {
      const missing = join(dir, "no-such-dir");
      expect(await run(["--data-dir", missing], dir)).toMatchObject({
        err: expect.stringContaining(`no embedded database in ${missing}`),
      });
      expect(existsSync(missing)).toBe(false);
      expect((await run(["--database-url", ""], dir)).err).toContain(
        "--database-url is empty: expected a postgres:// URL",
      );
      const empty = await openPglite(dir);
      await empty.close();
      expect((await run(["--data-dir", dir], dir)).err).toContain(
        `no Sluice audit log in the embedded database in ${dir}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the edited row of an embedded database and exits 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-audit-"));
    try {
      const db = await openPglite(dir);
      await migrate(db);
      for (let i = 1; i <= 3; i++) await appendAudit(db, event(i));
      await tamper(db, "UPDATE audit_log SET head_sha = 'deadbeef' WHERE seq = 2");
      await db.close();
      let out = "";
      const code = await auditVerify.run(["--data-dir", dir], {
        stdout: (s) => {
          out += s;
        },
        stderr: () => {},
        cwd: dir,
        env: {},
        readStdin: async () => "",
      });
      expect(code).toBe(1);
      expect(out).toBe("audit log broken: audit row 2 was edited: its content does not match its hash\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
