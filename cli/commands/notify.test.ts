import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { formatNotice } from "../../core/chat/format.ts";
import { main } from "../main.ts";
import { memoryIo } from "../test/memory-io.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const ACTIONS = {
  GITHUB_REPOSITORY: "acme/platform",
  GITHUB_SHA: SHA,
  GITHUB_ACTOR: "erin",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_RUN_ID: "77",
};
const SECRET_PATH = "/services/T0000/B0000/s3cr3tT0kenValue";

/** A loopback chat webhook that records what it is sent and answers as told. */
let server: Server;
let base = "";
let received: { path: string; contentType: string; body: unknown }[] = [];
let answer = { status: 200, body: "ok" };

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
    });
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"] ?? "",
        body: JSON.parse(data),
      });
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  received = [];
  answer = { status: 200, body: "ok" };
});

/** A loopback port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

const run = (args: string[], env: Record<string, string> = {}) => {
  const m = memoryIo({ env: { ...ACTIONS, SLACK_WEBHOOK_URL: `${base}${SECRET_PATH}`, ...env } });
  return main(["notify", ...args], m.io).then((code) => ({ code, out: m.stdout, err: m.stderr }));
};

describe("sluice notify", () => {
  it("posts the formatter's message for the stage, with the run's commit, actor and link", async () => {
    const r = await run([
      "--stage",
      "applied",
      "--environment",
      "prod",
      "--pull-request",
      "42",
      "--detail",
      "3 stacks",
    ]);
    expect(r.code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe(SECRET_PATH);
    expect(received[0]?.contentType).toBe("application/json");
    expect(received[0]?.body).toEqual(
      formatNotice({
        source: "pipeline",
        stage: "applied",
        environment: "prod",
        repository: "acme/platform",
        commit: SHA,
        actor: "erin",
        pullRequest: 42,
        runUrl: "https://github.com/acme/platform/actions/runs/77",
        detail: "3 stacks",
      }),
    );
    expect(r.err).toBe("chat notice sent: prod applied\n");
    expect(`${r.out}${r.err}`).not.toContain(SECRET_PATH);
  });

  it("prints the body with --dry-run and sends nothing", async () => {
    const r = await run(["--stage", "failed", "--environment", "dev", "--detail", "terraform apply: exit 1"]);
    expect(r.code).toBe(0);
    const dry = await run([
      "--stage",
      "failed",
      "--environment",
      "dev",
      "--detail",
      "terraform apply: exit 1",
      "--dry-run",
    ]);
    expect(JSON.parse(dry.out)).toEqual(received[0]?.body);
    expect(received).toHaveLength(1);
  });

  it("skips, exit 0, when SLACK_WEBHOOK_URL is not set", async () => {
    const r = await run(["--stage", "deployed", "--environment", "dev"], { SLACK_WEBHOOK_URL: "" });
    expect(r).toMatchObject({ code: 0, err: "SLACK_WEBHOOK_URL is not set: no chat notice sent\n" });
    expect(received).toEqual([]);
  });

  it("fails with the status, never the URL, when the webhook refuses or cannot be reached", async () => {
    answer = { status: 404, body: "no_service" };
    const refused = await run(["--stage", "approved", "--environment", "staging"]);
    expect(refused).toMatchObject({ code: 1, err: "the chat webhook answered 404 (no_service)\n" });
    answer = { status: 500, body: `<html>${SECRET_PATH}</html>` };
    const broken = await run(["--stage", "approved", "--environment", "staging"]);
    expect(broken).toMatchObject({ code: 1, err: "the chat webhook answered 500\n" });
    const closed = await run(["--stage", "approved", "--environment", "staging"], {
      SLACK_WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}${SECRET_PATH}`,
    });
    expect(closed).toMatchObject({ code: 1, err: "could not reach the chat webhook (ECONNREFUSED)\n" });
    const plain = await run(["--stage", "approved", "--environment", "staging"], {
      SLACK_WEBHOOK_URL: `http://hooks.example.com${SECRET_PATH}`,
    });
    expect(plain.code).toBe(2);
    expect(plain.err).toContain(
      "SLACK_WEBHOOK_URL must be an https URL (its value is not shown: it is a secret)",
    );
    for (const r of [refused, broken, closed, plain]) expect(r.err).not.toContain("s3cr3t");
  });

  it.each([
    [["--environment", "dev"], {}, "--stage is required"],
    [
      ["--stage", "shipped", "--environment", "dev"],
      {},
      "--stage must be one of plan-ready, approved, applied, deployed, failed, got 'shipped'",
    ],
    [["--stage", "applied"], {}, "--environment is required"],
    [
      ["--stage", "applied", "--environment", "dev"],
      { GITHUB_SHA: "main" },
      "GITHUB_SHA must be a 40-character commit SHA, got 'main'",
    ],
    [
      ["--stage", "applied", "--environment", "dev"],
      { GITHUB_REPOSITORY: "" },
      "GITHUB_REPOSITORY must be owner/name",
    ],
    [
      ["--stage", "applied", "--environment", "dev", "--pull-request", "x"],
      {},
      "--pull-request must be a pull request number, got 'x'",
    ],
  ])("refuses %j with exit 2", async (args, env, message) => {
    const r = await run(args, env);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(received).toEqual([]);
  });
});
