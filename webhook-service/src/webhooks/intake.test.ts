import { randomBytes } from "node:crypto";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample } from "../../test/github-standin/index.ts";
import { type Harness, idle, startHarness, waitFor } from "../../test/harness.ts";
import { post, signBody, signedDelivery } from "../../test/sign.ts";
import { MAX_BODY_BYTES } from "./intake.ts";

describe("webhook intake: bad input gets a 4xx and stores nothing", () => {
  let h: Harness;
  const count = async (sql: string) =>
    Number((await h.running.service.db.query<{ n: string }>(sql)).rows[0]?.n);
  const deliveries = () => count("SELECT count(*) AS n FROM deliveries");
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("401 for a missing or forged signature", async () => {
    const d = await signedDelivery("pull_request", webhookExample("pull_request", { action: "opened" }));
    const { "x-hub-signature-256": _, ...unsigned } = d.headers;
    expect((await post(h.running.url, { ...d, headers: unsigned })).status).toBe(401);
    const forged = {
      ...d,
      headers: { ...d.headers, "x-hub-signature-256": await signBody(d.body, "wrong-secret") },
    };
    expect(await post(h.running.url, forged)).toMatchObject({ status: 401 });
    const tampered = { ...d, body: d.body.replace('"opened"', '"closed"') };
    expect((await post(h.running.url, tampered)).status).toBe(401);
    expect(await deliveries()).toBe(0);
  });

  it("400 for missing headers, malformed JSON or random bytes; 415 for a wrong content type", async () => {
    const d = await signedDelivery("pull_request", { action: "opened" });
    const { "x-github-delivery": _, ...noId } = d.headers;
    expect((await post(h.running.url, { ...d, headers: noId })).status).toBe(400);
    const { "x-github-event": __, ...noEvent } = d.headers;
    expect((await post(h.running.url, { ...d, headers: noEvent })).status).toBe(400);

    const broken = '{"action": "opened", ';
    const badJson = {
      ...d,
      body: broken,
      headers: { ...d.headers, "x-hub-signature-256": await signBody(broken) },
    };
    expect(await post(h.running.url, badJson)).toMatchObject({
      status: 400,
      json: { error: "body is not a JSON object" },
    });

    const bytes = randomBytes(4096);
    const random = await fetch(`${h.running.url}/webhooks/github`, {
      method: "POST",
      headers: { ...d.headers, "x-hub-signature-256": await signBody(bytes.toString("latin1")) },
      body: bytes,
    });
    expect([400, 401]).toContain(random.status);

    const text = { ...d, headers: { ...d.headers, "content-type": "text/plain" } };
    expect((await post(h.running.url, text)).status).toBe(415);
    expect(await deliveries()).toBe(0);
  });

  it("413 over GitHub's 25 MB cap", async () => {
    const big = `{"action":"opened","pad":"${"x".repeat(MAX_BODY_BYTES)}"}`;
    const d = await signedDelivery("pull_request", {});
    const res = await post(h.running.url, {
      ...d,
      body: big,
      headers: { ...d.headers, "x-hub-signature-256": await signBody(big) },
    });
    expect(res.status).toBe(413);
    expect(await deliveries()).toBe(0);
  });

  it("a chunked body (no Content-Length) is counted as it arrives: 413 over the cap, accepted under it", async () => {
    // A connection of its own: the server answers 413 before the upload ends and closes it.
    const agent = new Agent();
    const chunked = async (d: { body: string; headers: Record<string, string> }, chunks: number) => {
      const piece = Buffer.from(d.body);
      const res = await undiciFetch(`${h.running.url}/webhooks/github`, {
        dispatcher: agent,
        method: "POST",
        headers: d.headers,
        duplex: "half",
        body: new ReadableStream({
          pull(controller) {
            if (chunks-- <= 0) return controller.close();
            controller.enqueue(piece);
          },
        }),
      });
      return res.status;
    };
    const small = await signedDelivery("pull_request", webhookExample("pull_request", { action: "opened" }));
    expect(await chunked(small, 1)).toBe(202);
    const stored = await count(`SELECT count(*) AS n FROM deliveries WHERE id = '${small.id}'`);
    expect(stored).toBe(1);
    const pad = "x".repeat(1024 * 1024);
    const large = await signedDelivery("pull_request", {});
    expect(await chunked({ ...large, body: pad }, 26)).toBe(413);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE id = '${large.id}'`)).toBe(0);
    await agent.close();
  });

  it("202 for an event it ignores; the delivery is stored and audited", async () => {
    const res = await h.deliver("ping", webhookExample("ping", { withInstallation: false }));
    expect(res).toMatchObject({ status: 202, json: { status: "ignored" } });
    await waitFor(
      "the delivery audit",
      async () =>
        (await count(`SELECT count(*) AS n FROM audit_log WHERE delivery_id = '${res.delivery.id}'`)) === 1,
    );
    const metrics = await (await fetch(`${h.running.url}/metrics`)).text();
    expect(metrics).toContain('sluice_deliveries_total{event="ping",outcome="ignored"} 1');
  });

  it("a payload for an unknown installation is accepted, then fails visibly without publishing anything", async () => {
    const payload = webhookExample("pull_request", { action: "opened" });
    (payload.installation as { id: number }).id = 987654;
    const res = await h.deliver("pull_request", payload);
    expect(res.status).toBe(202);
    await idle(h.running);
    const job = await h.running.service.db.query<{ state: string; last_error: string }>(
      "SELECT state, last_error FROM jobs ORDER BY id DESC LIMIT 1",
    );
    expect(job.rows[0]?.state).toBe("failed");
    expect(job.rows[0]?.last_error).toMatch(/404/);
    expect(h.gh.calls.filter((c) => c.method !== "GET" && !c.path.startsWith("/app/"))).toEqual([]);
    expect((await fetch(`${h.running.url}/readyz`)).status).toBe(200);
  });
});
