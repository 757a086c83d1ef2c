import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubFetch } from "./http.ts";

let server: Server;
let base: string;
const seen: { method: string; url: string; body: string; auth?: string }[] = [];
const http = githubFetch();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        body,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      });
      if (req.url === "/repos/old/name") {
        res.writeHead(301, { location: `${base}/repos/new/name` }).end();
      } else if (req.url === "/repos/new/name") {
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "x-ratelimit-remaining": "4999",
        });
        res.end(JSON.stringify({ full_name: "new/name", id: 2 ** 60 }));
      } else if (req.url?.startsWith("/repos/o/r/labels")) {
        res.writeHead(204).end();
      } else if (req.url === "/repos/o/r/issues/1/comments") {
        res.writeHead(201, { "content-type": "application/json" }).end(body);
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  await new Promise((r) => server.close(r));
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const octokit = () =>
  new Octokit({ baseUrl: base, auth: "t0ken", log: quiet, request: { fetch: http.fetch } });

describe("githubFetch under Octokit", () => {
  it("follows a redirect as fetch does and gives Octokit the headers and JSON body", async () => {
    const { status, data, headers } = await octokit().request("GET /repos/{owner}/{repo}", {
      owner: "old",
      repo: "name",
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({ full_name: "new/name" });
    expect(headers["x-ratelimit-remaining"]).toBe("4999");
    expect(seen.slice(-2).map((s) => s.url)).toEqual(["/repos/old/name", "/repos/new/name"]);
    expect(seen.at(-1)?.auth).toBe("token t0ken");
  });

  it("sends a JSON body and reads the created resource", async () => {
    const { status, data } = await octokit().rest.issues.createComment({
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "hello",
    });
    expect(status).toBe(201);
    expect(data).toEqual({ body: "hello" });
    expect(seen.at(-1)?.method).toBe("POST");
  });

  it("answers 204 without a body, and the connection serves the next request", async () => {
    const client = octokit();
    const first = await client.request("DELETE /repos/{owner}/{repo}/labels/{name}", {
      owner: "o",
      repo: "r",
      name: "x",
    });
    expect(first.status).toBe(204);
    const next = await client.request("GET /repos/{owner}/{repo}", { owner: "new", repo: "name" });
    expect(next.status).toBe(200);
  });

  it("turns a 404 into Octokit's RequestError with GitHub's message", async () => {
    await expect(
      octokit().request("GET /repos/{owner}/{repo}", { owner: "x", repo: "y" }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining("Not Found"),
    });
  });

  it("reports a refused connection as a 500 RequestError naming the cause", async () => {
    const gone = new Octokit({ baseUrl: "http://127.0.0.1:1", log: quiet, request: { fetch: http.fetch } });
    await expect(gone.request("GET /rate_limit")).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });
});
