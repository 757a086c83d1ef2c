import { createHash } from "node:crypto";
import { Webhooks } from "@octokit/webhooks";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { withDelivery } from "../logger.ts";
import type { Service } from "../service.ts";
import { isRelevant, route } from "./events.ts";
import { DeliveryWriter } from "./store.ts";

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** Intake statements in flight at once on PostgreSQL (the pool holds 10 connections; the worker needs some). */
const INTAKE_WRITES_IN_FLIGHT = 4;

const DELIVERY_ID = /^[\w-]{1,100}$/;

/** The X-GitHub-Delivery header's value if it is well formed (only such an id goes on log lines). */
export function deliveryIdOf(header: string | undefined): string | undefined {
  return header && DELIVERY_ID.test(header) ? header : undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * POST /webhooks/github: check the headers, verify X-Hub-Signature-256 over the raw body before parsing it,
 * store the delivery (unique by X-GitHub-Delivery; its body's digest, and the body itself only where its job
 * reads it) with its job in one statement, group-committed with the
 * deliveries arriving meanwhile, acknowledge, and let the
 * worker do the rest. A redelivery finds its id stored and changes nothing.
 */
export function webhookRoutes(app: Hono, service: Service): void {
  const { metrics } = service;
  const webhooks = new Webhooks({ secret: service.config.webhookSecret });
  const writer = new DeliveryWriter(
    service.db,
    256,
    service.db.kind === "postgres" ? INTAKE_WRITES_IN_FLIGHT : 1,
  );
  const tooLarge = (c: Context) => {
    metrics.deliveries.inc({ event: c.req.header("x-github-event") ?? "unknown", outcome: "too-large" });
    return c.json({ error: "payload larger than GitHub's 25 MB limit" }, 413);
  };
  const streamedBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  app.post(
    "/webhooks/github",
    // GitHub sends a Content-Length: checked from the header alone, the body is then read straight from the
    // socket. (Hono's bodyLimit looks at the request's body stream first, which makes @hono/node-server build a
    // full WHATWG Request with streams for every delivery.) A chunked body goes through bodyLimit, which counts.
    (c, next) => {
      const length = c.req.header("content-length");
      if (length === undefined || c.req.header("transfer-encoding") !== undefined) {
        return streamedBodyLimit(c, next);
      }
      return Number.parseInt(length, 10) > MAX_BODY_BYTES ? tooLarge(c) : next();
    },
    (c) => withDelivery(deliveryIdOf(c.req.header("x-github-delivery")), () => intake(c)),
  );

  async function intake(c: Context) {
    const event = c.req.header("x-github-event");
    const id = c.req.header("x-github-delivery");
    const signature = c.req.header("x-hub-signature-256");
    const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    const reject = (status: 400 | 401 | 415, error: string) => {
      metrics.deliveries.inc({ event: event ?? "unknown", outcome: "rejected" });
      return c.json({ error }, status);
    };
    if (!event || !id) return reject(400, "missing X-GitHub-Event or X-GitHub-Delivery header");
    if (!/^[\w.-]{1,100}$/.test(event) || !DELIVERY_ID.test(id)) {
      return reject(400, "malformed X-GitHub-Event or X-GitHub-Delivery header");
    }
    if (!signature) return reject(401, "missing X-Hub-Signature-256 header");
    if (contentType !== "application/json" && contentType !== "application/x-www-form-urlencoded") {
      return reject(415, "content type must be application/json or application/x-www-form-urlencoded");
    }
    let body: string;
    let bytes: ArrayBuffer;
    try {
      bytes = await c.req.arrayBuffer();
      body = utf8.decode(bytes);
    } catch {
      return reject(400, "body is not UTF-8 text");
    }
    if (body.length === 0) return reject(400, "empty body");
    if (!(await webhooks.verify(body, signature).catch(() => false))) {
      return reject(401, "signature does not match the webhook secret");
    }
    let payload: Record<string, unknown>;
    let json: string;
    try {
      json = contentType === "application/json" ? body : (new URLSearchParams(body).get("payload") ?? "");
      const parsed: unknown = JSON.parse(json);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new Error("not an object");
      payload = parsed as Record<string, unknown>;
    } catch {
      return reject(400, "body is not a JSON object");
    }
    const action = typeof payload.action === "string" ? payload.action : undefined;
    const relevant = isRelevant(event, action);
    const routed = relevant ? route(event, id, payload) : {};
    const repository = (payload.repository as { full_name?: string } | undefined)?.full_name;
    const installationId = (payload.installation as { id?: number } | undefined)?.id;
    const pullRequest = payload.pull_request as
      | { number?: unknown; head?: { sha?: unknown }; merged?: unknown; merge_commit_sha?: unknown }
      | undefined;
    const sender = payload.sender as { login?: unknown } | undefined;
    const job = routed.job;
    const stored = await writer.write({
      id,
      event,
      action: action ?? null,
      installationId: installationId ?? null,
      repository: repository ?? null,
      body: routed.keepBody ? json : null,
      bodySha256: createHash("sha256").update(new Uint8Array(bytes)).digest("hex"),
      outcome: relevant ? "queued" : "ignored",
      pullNumber: typeof pullRequest?.number === "number" ? pullRequest.number : null,
      headSha: typeof pullRequest?.head?.sha === "string" ? pullRequest.head.sha : null,
      sender: typeof sender?.login === "string" ? sender.login : null,
      mergeCommitSha:
        event === "pull_request" &&
        action === "closed" &&
        pullRequest?.merged === true &&
        typeof pullRequest.merge_commit_sha === "string"
          ? pullRequest.merge_commit_sha
          : null,
      job: job
        ? {
            kind: job.kind,
            key: job.key,
            payload: JSON.stringify({ ...job.payload, receivedAt: Date.now() }),
            delayMs: job.kind === "evaluate" ? service.config.evaluationDelayMs : 0,
          }
        : null,
    });
    if (!stored) {
      metrics.deliveries.inc({ event, outcome: "duplicate" });
      return c.json({ status: "duplicate", delivery: id }, 200);
    }
    if (routed.job) service.wake();
    metrics.deliveries.inc({ event, outcome: relevant ? "accepted" : "ignored" });
    return c.json({ status: relevant ? "accepted" : "ignored", delivery: id }, 202);
  }
}
