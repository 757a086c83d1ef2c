import type { Child } from "hono/jsx";
import type { Policy, Requirement } from "../../../core/policy/policy.ts";
import { describeWindow } from "../../../core/policy/windows.ts";
import type { VerifyResult } from "../audit/log.ts";
import type { ChangeFilter, ChangeRow, PlanRisk, PullRequestView } from "./data.ts";
import { describeEvent } from "./timeline.ts";

export interface PageUser {
  readonly user: string;
  readonly csrf: string;
}

export function age(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

function Layout(props: { title: string; user?: PageUser; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Sluice</title>
        <link rel="stylesheet" href="/assets/dashboard.css" />
      </head>
      <body>
        <header>
          <a class="brand" href="/changes">
            Sluice change control
          </a>
          {props.user && (
            <nav aria-label="Main">
              <ul>
                <li>
                  <a href="/changes">Change requests</a>
                </li>
                <li>
                  <a href="/rules">Rules</a>
                </li>
              </ul>
            </nav>
          )}
          {props.user && (
            <form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={props.user.csrf} />
              <span class="muted">{props.user.user} · </span>
              <button class="link" type="submit">
                Log out
              </button>
            </form>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function page(node: Child): string {
  return `<!doctype html>${String(node)}`;
}

function StateText(props: { state: string }) {
  return <span class={`state state-${props.state}`}>{props.state}</span>;
}

function Risk(props: { risk?: PlanRisk }) {
  if (!props.risk) return <span class="muted">no plan</span>;
  const counts = Object.entries(props.risk.counts)
    .filter(([kind, n]) => n > 0 && kind !== "noop" && kind !== "read")
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ");
  const h = props.risk.highest;
  return (
    <span>
      {counts || "no changes"}
      {h && (
        <>
          {" · "}
          <span class={`sev-${h.severity}`}>{h.severity}</span>: {h.rule}
        </>
      )}
    </span>
  );
}

export function LoginPage(props: { mode: "local" | "oidc"; csrf: string; error?: string }) {
  return (
    <Layout title="Log in">
      <h1>Log in</h1>
      {props.error && (
        <p role="alert" class="broken">
          {props.error}
        </p>
      )}
      {props.mode === "oidc" ? (
        <p>
          <a href="/login/start">Log in with your organization's identity provider</a>
        </p>
      ) : (
        <form method="post" action="/login" class="card">
          <p>Local mode: enter the one-time token the service printed when it started.</p>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label>
            One-time token <input name="token" type="password" autocomplete="off" required />
          </label>{" "}
          <button type="submit">Log in</button>
        </form>
      )}
    </Layout>
  );
}

function filterLink(filter: ChangeFilter, page: number): string {
  const q = new URLSearchParams();
  for (const key of ["repository", "environment", "person", "state"] as const) {
    const v = filter[key];
    if (v) q.set(key, v);
  }
  if (page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `/changes?${s}` : "/changes";
}

export function ChangesPage(props: {
  user: PageUser;
  filter: ChangeFilter;
  rows: readonly ChangeRow[];
  hasNext: boolean;
  now: Date;
}) {
  const { filter } = props;
  return (
    <Layout title="Change requests" user={props.user}>
      <h1>Change requests</h1>
      <form method="get" action="/changes" class="filters" aria-label="Filter change requests">
        <label>
          Repository <input name="repository" value={filter.repository ?? ""} placeholder="owner/name" />
        </label>
        <label>
          Environment <input name="environment" value={filter.environment ?? ""} placeholder="prod" />
        </label>
        <label>
          Person <input name="person" value={filter.person ?? ""} placeholder="login" />
        </label>
        <label>
          State
          <select name="state">
            {["", "approved", "pending", "blocked"].map((s) => (
              <option value={s} selected={(filter.state ?? "") === s}>
                {s || "any"}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      {props.rows.length === 0 ? (
        <p>No change requests match.</p>
      ) : (
        <table class="changes">
          <caption class="muted">Newest first, page {filter.page}</caption>
          <thead>
            <tr>
              <th scope="col">Repository</th>
              <th scope="col">Pull request</th>
              <th scope="col">Environment</th>
              <th scope="col">Decision</th>
              <th scope="col">Plan risk</th>
              <th scope="col">Approvers</th>
              <th scope="col">Applier</th>
              <th scope="col">Age</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td data-label="Repository">{r.repository}</td>
                <td data-label="Pull request">
                  <a href={`/changes/${r.repository}/${r.number}`}>#{r.number}</a>{" "}
                  <span class="muted">by {r.author}</span>
                </td>
                <td data-label="Environment">{r.environments.join(", ") || "none"}</td>
                <td data-label="Decision">
                  <StateText state={r.state} />
                </td>
                <td data-label="Plan risk">
                  <Risk risk={r.risk} />
                </td>
                <td data-label="Approvers">{r.approvers.join(", ") || "none"}</td>
                <td data-label="Applier">{r.applier ?? "not applied"}</td>
                <td data-label="Age">{age(r.firstSeen, props.now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages">
        {filter.page > 1 && <a href={filterLink(filter, filter.page - 1)}>Newer</a>}
        {props.hasNext && <a href={filterLink(filter, filter.page + 1)}>Older</a>}
      </nav>
    </Layout>
  );
}

export function PullRequestPage(props: {
  user: PageUser;
  view: PullRequestView;
  chain: VerifyResult & { checkedAt: Date };
}) {
  const { view } = props;
  const d = view.decision;
  return (
    <Layout title={`${view.repository}#${view.number}`} user={props.user}>
      <h1>
        {view.repository}#{view.number}
      </h1>
      <section class="card" aria-labelledby="decision">
        <h2 id="decision">
          Decision: <StateText state={d.state} />
        </h2>
        <p>{d.summary}</p>
        <p class="muted">
          Head <code>{view.headSha.slice(0, 12)}</code> by {d.pullRequest.author}, evaluated{" "}
          {view.evaluatedAt.toISOString()}
        </p>
        {d.unblock.length > 0 && (
          <>
            <h3>What would move it forward</h3>
            <ul>
              {d.unblock.map((u) => (
                <li>{u}</li>
              ))}
            </ul>
          </>
        )}
        <h3>Rules</h3>
        <ul>
          {d.rules.map((r) => (
            <li>
              <strong>{r.name}</strong> ({r.enforcement}): {r.state}
              {r.why.length > 0 && <span class="muted"> · {r.why.join("; ")}</span>}
            </li>
          ))}
        </ul>
        <p>
          Approvals that count: {d.approvals.map((a) => a.user).join(", ") || "none"}
          {d.notCounted.length > 0 && (
            <span class="muted"> · not counted: {d.notCounted.map((n) => n.reason).join("; ")}</span>
          )}
        </p>
        <p>Schedule: {d.schedule.messages.join("; ")}</p>
      </section>
      <section aria-labelledby="plan">
        <h2 id="plan">Plan</h2>
        {view.plans.length === 0 ? (
          <p>No plan was uploaded for this head.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Stack</th>
                <th scope="col">Changes</th>
                <th scope="col">Findings</th>
                <th scope="col">Digest</th>
              </tr>
            </thead>
            <tbody>
              {view.plans.map((p) => (
                <tr>
                  <td>{p.stack}</td>
                  <td>
                    <Risk risk={{ stacks: 1, counts: p.counts, findings: p.findings.length }} />
                  </td>
                  <td>
                    {p.findings.length === 0
                      ? "none"
                      : p.findings.slice(0, 5).map((f) => (
                          <div>
                            <span class={`sev-${f.severity}`}>{f.severity}</span> {f.rule}: {f.reason}
                          </div>
                        ))}
                  </td>
                  <td>
                    <code>{p.digest}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <p>
          Audit chain:{" "}
          {props.chain.ok ? (
            <span class="verified">verified ({props.chain.rows} events)</span>
          ) : (
            <span class="broken">BROKEN: {props.chain.message}</span>
          )}{" "}
          <span class="muted">checked {props.chain.checkedAt.toISOString()}</span>
        </p>
        <ol class="timeline">
          {view.timeline.map((row) => {
            const e = describeEvent(row);
            return (
              <li>
                <span class="step">{e.step}</span>{" "}
                <time datetime={e.at}>{e.at.replace("T", " ").slice(0, 19)}</time> <strong>{e.actor}</strong>{" "}
                {e.text}
              </li>
            );
          })}
        </ol>
      </section>
    </Layout>
  );
}

function requirementText(r: Requirement): string {
  switch (r.kind) {
    case "approvals": {
      const from = [
        ...r.users.map((u) => `@${u}`),
        ...r.teams,
        ...(r.organization ? ["any organization member"] : []),
      ].join(", ");
      return `${r.count} approval(s) from ${from}`;
    }
    case "distinct-teams":
      return `approvals from ${r.count} different teams of ${r.teams.join(", ")}`;
    case "code-owners":
      return "code-owner approval";
    case "all":
      return r.of.map(requirementText).join(" and ");
    case "any":
      return r.of.map(requirementText).join(" or ");
  }
}

export function RulesPage(props: {
  user: PageUser;
  policies: readonly { repository: string; policy: Policy | undefined }[];
}) {
  return (
    <Layout title="Rules" user={props.user}>
      <h1>Rules in force</h1>
      {props.policies.length === 0 && <p>No repositories yet.</p>}
      {props.policies.map(({ repository, policy }) => (
        <section class="card" aria-label={repository}>
          <h2>{repository}</h2>
          {!policy ? (
            <p class="broken">The policy on the default branch could not be read: every change is refused.</p>
          ) : (
            <>
              <ul>
                {policy.rules.map((r) => (
                  <li>
                    <strong>{r.name}</strong> ({r.enforcement}): {requirementText(r.requires)}
                    {r.description && <span class="muted"> · {r.description}</span>}
                  </li>
                ))}
              </ul>
              <p>
                Change windows:{" "}
                {policy.changeWindows.map((w) => `${w.name} (${describeWindow(w)})`).join("; ") || "none"}
              </p>
              <p>
                Freezes:{" "}
                {policy.freezes.map((f) => `${f.name} ${f.from} to ${f.to}: ${f.reason}`).join("; ") ||
                  "none"}
              </p>
              {policy.emergency && (
                <p>
                  Emergency override: label <code>{policy.emergency.label}</code>, plus{" "}
                  {requirementText(policy.emergency.requires)}
                </p>
              )}
            </>
          )}
        </section>
      ))}
    </Layout>
  );
}

export function MessagePage(props: { title: string; message: string; user?: PageUser }) {
  return (
    <Layout title={props.title} {...(props.user ? { user: props.user } : {})}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </Layout>
  );
}
