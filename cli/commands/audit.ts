import { createWriteStream, existsSync } from "node:fs";
import { readAudit, verifyAudit } from "../../webhook-service/src/audit/log.ts";
import type { Database } from "../../webhook-service/src/db/database.ts";
import { openPglite } from "../../webhook-service/src/db/pglite.ts";
import { openPostgres } from "../../webhook-service/src/db/postgres.ts";
import { type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";

const DB_HELP = `  --database-url URL   PostgreSQL server of the service (default: DATABASE_URL); without one, the
                       embedded database in --data-dir (default: DATA_DIR or .data; stop the service first:
                       an embedded database has one user at a time)`;

async function open(
  values: { "database-url"?: string; "data-dir"?: string },
  env: CliEnv,
): Promise<Database> {
  if (values["database-url"] !== undefined && values["database-url"].trim() === "") {
    throw new UserError("--database-url is empty: expected a postgres:// URL");
  }
  const url = values["database-url"] ?? env.DATABASE_URL;
  const dir = values["data-dir"] ?? env.DATA_DIR ?? ".data";
  // Named without the URL, which may hold a password.
  const where = url
    ? `the PostgreSQL database of ${values["database-url"] !== undefined ? "--database-url" : "DATABASE_URL"}`
    : `the embedded database in ${dir}`;
  if (!url && !existsSync(dir)) {
    throw new UserError(
      `no embedded database in ${dir} (give --database-url, or --data-dir with the service's DATA_DIR)`,
    );
  }
  let db: Database;
  try {
    db = url ? await openPostgres({ connectionString: url, maxConnections: 2 }) : await openPglite(dir);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`cannot open the audit database: ${message}`);
  }
  const table = await db
    .query<{ t: string | null }>("SELECT to_regclass('audit_log')::text AS t")
    .catch(() => undefined);
  if (!table?.rows[0]?.t) {
    await db.close().catch(() => {});
    throw new UserError(
      `no Sluice audit log in ${where}: the service has not run against it, or the URL names another database or schema (search_path)`,
    );
  }
  return db;
}

type CliEnv = Readonly<Record<string, string | undefined>>;

export const auditVerify: Command = {
  path: ["audit", "verify"],
  summary: "Walk the service's hash-chained audit log and name the first edited, inserted or deleted row",
  help: `Usage: sluice audit verify [--database-url URL] [--data-dir DIR]

Recomputes every row's hash and its link to the row before. Exit 0: intact (prints the row count and the
last hash, worth keeping outside the database); 1: names the first broken row; 2: unusable invocation.

${DB_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions("audit verify", {
      args: [...args],
      options: { "database-url": { type: "string" }, "data-dir": { type: "string" } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UserError(`takes no arguments, got '${positionals.join(" ")}'`);
    const db = await open(values, io.env);
    try {
      const result = await verifyAudit(db);
      if (result.ok) {
        io.stdout(`audit log intact: ${result.rows} rows, last hash ${result.lastHash}\n`);
        return ExitCode.ok;
      }
      io.stdout(`audit log broken: ${result.message}\n`);
      return ExitCode.findings;
    } finally {
      await db.close();
    }
  },
};

export const auditExport: Command = {
  path: ["audit", "export"],
  summary: "Write the service's audit log as JSON lines (for a SIEM)",
  help: `Usage: sluice audit export --format jsonl [--output FILE] [--database-url URL] [--data-dir DIR]

One JSON object per line, oldest first: seq, at, actor, action, repository, pullNumber, headSha, planDigest,
deliveryId, details, prevHash, hash.

  --format jsonl       the only format
  --output FILE        write there instead of standard output
${DB_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions("audit export", {
      args: [...args],
      options: {
        format: { type: "string" },
        output: { type: "string" },
        "database-url": { type: "string" },
        "data-dir": { type: "string" },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UserError(`takes no arguments, got '${positionals.join(" ")}'`);
    oneOf("format", values.format, ["jsonl"] as const, "jsonl");
    const db = await open(values, io.env);
    const file = values.output ? createWriteStream(values.output) : undefined;
    try {
      let rows = 0;
      for await (const row of readAudit(db)) {
        const line = `${JSON.stringify(row)}\n`;
        if (file) {
          if (!file.write(line)) await new Promise<void>((r) => file.once("drain", () => r()));
        } else io.stdout(line);
        rows++;
      }
      if (file) {
        await new Promise<void>((resolve, reject) =>
          file.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        io.stderr(`wrote ${rows} audit rows to ${values.output}\n`);
      }
      return ExitCode.ok;
    } finally {
      await db.close();
    }
  },
};
