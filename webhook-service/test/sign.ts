import { randomUUID } from "node:crypto";
import { Webhooks } from "@octokit/webhooks";

export const TEST_WEBHOOK_SECRET = "test-webhook-secret-not-real";

/** X-Hub-Signature-256 of a body, as GitHub computes it (through @octokit/webhooks). */
export function signBody(body: string, secret = TEST_WEBHOOK_SECRET): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

export interface Delivery {
  readonly id: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** A signed delivery of `payload` as GitHub sends it. */
export async function signedDelivery(
  event: string,
  payload: unknown,
  options: { id?: string; secret?: string } = {},
): Promise<Delivery> {
  const id = options.id ?? randomUUID();
  const body = JSON.stringify(payload);
  return {
    id,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/test",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": await signBody(body, options.secret),
    },
  };
}

/** POSTs a delivery to the service's intake. */
export async function post(baseUrl: string, delivery: Delivery): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${baseUrl}/webhooks/github`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}
