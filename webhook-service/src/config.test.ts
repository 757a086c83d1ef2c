import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, localModeMessage } from "./config.ts";

const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA\n-----END PRIVATE KEY-----\n";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("defaults: port 3000, api.github.com, embedded database in .data, local mode", () => {
    const c = loadConfig({ GITHUB_WEBHOOK_SECRET: "s" });
    expect(c).toMatchObject({
      port: 3000,
      githubApiUrl: "https://api.github.com",
      dataDir: ".data",
      logLevel: "info",
    });
    expect(c.app).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(localModeMessage()).toContain(
      "GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH",
    );
  });

  it("splits into web and worker processes only on a shared PostgreSQL database", () => {
    expect(loadConfig({ GITHUB_WEBHOOK_SECRET: "s" }).role).toBe("all");
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", SERVICE_ROLE: "web" })).toEqual([
      "SERVICE_ROLE: web needs DATABASE_URL (web and worker processes share one PostgreSQL database; embedded PGlite belongs to one process)",
    ]);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", SERVICE_ROLE: "worker" })[0]).toMatch(
      /^SERVICE_ROLE: worker needs DATABASE_URL/,
    );
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", SERVICE_ROLE: "intake" })).toEqual([
      "SERVICE_ROLE: must be one of all, web, worker",
    ]);
    const worker = { GITHUB_WEBHOOK_SECRET: "s", SERVICE_ROLE: "worker", DATABASE_URL: "postgres://db/x" };
    expect(loadConfig(worker).role).toBe("worker");
  });

  it("names the variable and what is wrong", () => {
    expect(problems({})).toEqual([
      "GITHUB_WEBHOOK_SECRET: is required (the secret set on the GitHub App's webhook), or GITHUB_WEBHOOK_SECRET_PATH",
    ]);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "  " })).toHaveLength(1);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", PORT: "http" })[0]).toMatch(/^PORT: /);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_API_URL: "not a url" })).toEqual([
      "GITHUB_API_URL: must be a URL such as https://api.github.com",
    ]);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", DATABASE_URL: "mysql://x" })).toEqual([
      "DATABASE_URL: must be a postgres:// or postgresql:// URL",
    ]);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_APP_ID: "1" })).toEqual([
      "GITHUB_APP_PRIVATE_KEY: required with GITHUB_APP_ID (or set GITHUB_APP_PRIVATE_KEY_PATH)",
    ]);
    expect(problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_APP_PRIVATE_KEY: PEM })).toEqual([
      "GITHUB_APP_ID: required with a private key",
    ]);
    expect(
      problems({
        GITHUB_WEBHOOK_SECRET: "s",
        GITHUB_APP_ID: "1",
        GITHUB_APP_PRIVATE_KEY_PATH: "/nonexistent/key.pem",
      }),
    ).toEqual(["GITHUB_APP_PRIVATE_KEY_PATH: cannot read the file (ENOENT)"]);
  });

  it("never prints a secret, even one put in the wrong variable", () => {
    const secret = "ghs_SuperSecretValue123";
    const all = [
      ...problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_APP_ID: secret, GITHUB_APP_PRIVATE_KEY: PEM }),
      ...problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: secret }),
      ...problems({ GITHUB_WEBHOOK_SECRET: "s", DATABASE_URL: `mysql://u:${secret}@h/db` }),
      ...problems({ GITHUB_WEBHOOK_SECRET: secret, PORT: secret }),
    ];
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const p of all) expect(p).not.toContain("SuperSecret");
    expect(all).toContain(
      "GITHUB_APP_PRIVATE_KEY: expected a PEM private key (-----BEGIN ... PRIVATE KEY-----)",
    );
  });

  it("reads the private key from GITHUB_APP_PRIVATE_KEY_PATH", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-config-"));
    writeFileSync(join(dir, "key.pem"), PEM);
    const c = loadConfig({
      GITHUB_WEBHOOK_SECRET: "s",
      GITHUB_APP_ID: "42",
      GITHUB_APP_PRIVATE_KEY_PATH: join(dir, "key.pem"),
    });
    expect(c.app).toEqual({ appId: "42", privateKey: PEM });
  });

  describe("secrets mounted as files (the Secrets Store CSI driver in the cluster)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-config-files-"));
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };

    it("reads the webhook secret, App id and key from files, dropping one final newline", () => {
      const c = loadConfig({
        GITHUB_WEBHOOK_SECRET_PATH: file("webhook", "s3cret value\n"),
        GITHUB_APP_ID_PATH: file("app-id", "42\n"),
        GITHUB_APP_PRIVATE_KEY_PATH: file("key.pem", PEM),
      });
      expect(c.webhookSecret).toBe("s3cret value");
      expect(c.app).toEqual({ appId: "42", privateKey: PEM });
    });

    it("takes a database password file only with a password-less DATABASE_URL", () => {
      const password = file("db", "pw\n");
      const c = loadConfig({
        GITHUB_WEBHOOK_SECRET: "s",
        DATABASE_URL: "postgres://sluice_admin@db.internal:5432/postgres?sslmode=verify-full",
        DATABASE_PASSWORD_PATH: password,
      });
      expect(c.databasePasswordFile).toBe(password);
      expect(loadConfig({ GITHUB_WEBHOOK_SECRET: "s" }).databasePasswordFile).toBeUndefined();
      expect(problems({ GITHUB_WEBHOOK_SECRET: "s", DATABASE_PASSWORD_PATH: password })).toEqual([
        "DATABASE_PASSWORD_PATH: needs DATABASE_URL (the server to use it on)",
      ]);
      expect(
        problems({
          GITHUB_WEBHOOK_SECRET: "s",
          DATABASE_URL: "postgres://u:inline@db/x",
          DATABASE_PASSWORD_PATH: password,
        }),
      ).toEqual(["DATABASE_URL and DATABASE_PASSWORD_PATH: DATABASE_URL carries a password; use one"]);
      expect(
        problems({
          GITHUB_WEBHOOK_SECRET: "s",
          DATABASE_URL: "postgres://u@db/x",
          DATABASE_PASSWORD_PATH: join(dir, "missing"),
        }),
      ).toEqual(["DATABASE_PASSWORD_PATH: cannot read the file (ENOENT)"]);
    });

    it("names the variable when a file is missing, empty, wrong or doubled, never its content", () => {
      const secret = "ghs_SuperSecretValue123";
      expect(problems({ GITHUB_WEBHOOK_SECRET_PATH: join(dir, "missing") })).toEqual([
        "GITHUB_WEBHOOK_SECRET_PATH: cannot read the file (ENOENT)",
      ]);
      expect(problems({ GITHUB_WEBHOOK_SECRET_PATH: file("empty", "\n") })).toEqual([
        "GITHUB_WEBHOOK_SECRET_PATH: the file is empty",
      ]);
      expect(problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_WEBHOOK_SECRET_PATH: file("w2", "s") })).toEqual([
        "GITHUB_WEBHOOK_SECRET and GITHUB_WEBHOOK_SECRET_PATH: set one, not both",
      ]);
      const wrongId = problems({
        GITHUB_WEBHOOK_SECRET: "s",
        GITHUB_APP_ID_PATH: file("id-secret", secret),
        GITHUB_APP_PRIVATE_KEY: PEM,
      });
      expect(wrongId).toEqual(["GITHUB_APP_ID_PATH: the file must hold the App's numeric id"]);
      expect(problems({ GITHUB_WEBHOOK_SECRET: "s", GITHUB_APP_ID_PATH: file("id", "7") })).toEqual([
        "GITHUB_APP_PRIVATE_KEY: required with GITHUB_APP_ID (or set GITHUB_APP_PRIVATE_KEY_PATH)",
      ]);
      for (const p of wrongId) expect(p).not.toContain("SuperSecret");
    });
  });
});
