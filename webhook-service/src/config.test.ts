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

  it("names the variable and what is wrong", () => {
    expect(problems({})).toEqual(["GITHUB_WEBHOOK_SECRET: is required"]);
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
});
