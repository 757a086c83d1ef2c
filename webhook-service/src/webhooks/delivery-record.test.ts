import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample } from "../../test/github-standin/index.ts";
import { type Harness, openedPullRequest, startHarness, waitFor } from "../../test/harness.ts";
import { post, signBody } from "../../test/sign.ts";
import { enqueue } from "../queue/queue.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("what a stored delivery keeps", () => {
  let h: Harness;
  const row = async (id: string) =>
    (
      await h.running.service.db.query<{
        payload: string | null;
        body_sha256: string;
        head_sha: string | null;
        pull_number: number | null;
        merge_commit_sha: string | null;
      }>(
        "SELECT payload, body_sha256, head_sha, pull_number, merge_commit_sha FROM deliveries WHERE id = $1",
        [id],
      )
    ).rows[0];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a pull_request delivery keeps the digest of its body and the fields its work reads, not the body", async () => {
    const payload = openedPullRequest(h.gh);
    const res = await h.deliver("pull_request", payload);
    expect(res.status).toBe(202);
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    expect(await row(res.delivery.id)).toEqual({
      payload: null,
      body_sha256: sha256(res.delivery.body),
      head_sha: pr.head.sha,
      pull_number: pr.number,
      merge_commit_sha: null,
    });
    const audited = await waitFor("the delivery's audit event", async () => {
      const event = await h.running.service.db.query<{ details: Record<string, unknown> | string }>(
        "SELECT details FROM audit_log WHERE delivery_id = $1",
        [res.delivery.id],
      );
      return event.rows[0];
    });
    const details = typeof audited.details === "string" ? JSON.parse(audited.details) : audited.details;
    expect(details.bodySha256).toBe(sha256(res.delivery.body));
  });

  it("a merged pull request's closed delivery keeps its merge commit; an unmerged one's does not count", async () => {
    const closed = webhookExample("pull_request", { action: "closed" });
    const pr = closed.pull_request as { merged: boolean; merge_commit_sha: string };
    // GitHub fills merge_commit_sha on an unmerged pull request too (its test merge): it must not be kept.
    expect(pr.merged).toBe(false);
    expect(pr.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
    const unmerged = await h.deliver("pull_request", closed);
    pr.merged = true;
    const merged = await h.deliver("pull_request", closed);
    expect((await row(unmerged.delivery.id))?.merge_commit_sha).toBeNull();
    expect(await row(merged.delivery.id)).toMatchObject({
      merge_commit_sha: pr.merge_commit_sha,
      payload: null,
    });
  });

  it("installation deliveries keep their JSON (also when sent form-encoded), and their job records it", async () => {
    const created = webhookExample("installation", { action: "created" });
    const installation = created.installation as { id: number; account: { login: string } };
    const json = await h.deliver("installation", created);
    expect(json.status).toBe(202);
    expect(JSON.parse((await row(json.delivery.id))?.payload ?? "null")).toEqual(created);

    const added = webhookExample("installation_repositories", { action: "added" });
    (added.installation as { id: number }).id = installation.id;
    const names = (added.repositories_added as { full_name: string }[]).map((r) => r.full_name);
    expect(names.length).toBeGreaterThan(0);
    const body = `payload=${encodeURIComponent(JSON.stringify(added))}`;
    const id = "form-encoded-installation-repositories";
    const form = await post(h.running.url, {
      id,
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-github-event": "installation_repositories",
        "x-github-delivery": id,
        "x-hub-signature-256": await signBody(body),
      },
    });
    expect(form.status).toBe(202);
    expect(await row(id)).toMatchObject({ body_sha256: sha256(body) });
    expect(JSON.parse((await row(id))?.payload ?? "null")).toEqual(added);

    const db = h.running.service.db;
    await waitFor("the installation and its repositories", async () => {
      const repos = await db.query<{ repository: string }>(
        "SELECT repository FROM repositories WHERE installation_id = $1 ORDER BY repository",
        [installation.id],
      );
      return repos.rows.length === names.length;
    });
    const account = await db.query<{ account: string; active: boolean }>(
      "SELECT account, active FROM installations WHERE id = $1",
      [installation.id],
    );
    expect(account.rows[0]).toEqual({ account: installation.account.login, active: true });
  });

  it("an installation delivery stored form-encoded before 0009 is still read by its job after an upgrade", async () => {
    const deleted = webhookExample("installation", { action: "deleted" });
    const installation = deleted.installation as { id: number; account: { login: string } };
    installation.id = 424242;
    const db = h.running.service.db;
    await db.query(
      `INSERT INTO deliveries (id, event, action, installation_id, payload)
       VALUES ('legacy-form', 'installation', 'deleted', $1, $2)`,
      [installation.id, `payload=${encodeURIComponent(JSON.stringify(deleted))}`],
    );
    await enqueue(db, "installation", {
      key: "installation:legacy-form",
      payload: { deliveryId: "legacy-form", event: "installation" },
    });
    h.running.service.wake();
    const recorded = await waitFor("the legacy delivery's installation", async () => {
      const found = await db.query<{ account: string; active: boolean }>(
        "SELECT account, active FROM installations WHERE id = $1",
        [installation.id],
      );
      return found.rows[0];
    });
    expect(recorded).toEqual({ account: installation.account.login, active: false });
  });
});
