import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { githubFetch } from "../webhook-service/src/github/http.ts";
import { standInApp } from "../webhook-service/test/github-app.ts";
import { startGitHubStandIn } from "../webhook-service/test/github-standin/index.ts";
import { median, ms, writeSection } from "./harness.ts";

/**
 * What one GitHub call costs in time through the service's Octokit (auth-app, retry and throttling plugins,
 * Bottleneck-free limiters) against bare Octokit and the plugins as they ship, on the same undici `fetch` and
 * the same stand-in in this process: `pulls.get` one at a time (the latency an evaluation's critical path
 * pays per round trip) and 8 at a time.
 */
const CALLS = 200;
const ROUNDS = 5;

const gh = await startGitHubStandIn({ record: false, rateLimit: 100_000_000 });
gh.state.addInstallation({ id: 7, account: "acme" });
gh.state.addRepository({ fullName: "acme/infra", installationId: 7 });
gh.state.addPullRequest("acme/infra", {
  number: 1,
  user: "alice",
  head: { sha: "a".repeat(40), ref: "feature" },
  base: { sha: "b".repeat(40), ref: "main" },
});
const http = githubFetch();
const auth = { appId: String(gh.appId), privateKey: gh.privateKeyPem, installationId: 7 };
const plain = (Client: typeof Octokit, extra: Record<string, unknown> = {}) =>
  new Client({
    baseUrl: gh.url,
    authStrategy: createAppAuth,
    auth,
    request: { fetch: http.fetch },
    ...extra,
  });
const noLimit = { onRateLimit: () => false, onSecondaryRateLimit: () => false };
const clients: [string, Octokit][] = [
  ["bare Octokit (baseline)", plain(Octokit)],
  ["+ retry plugin", plain(Octokit.plugin(retry))],
  ["+ throttling plugin as shipped", plain(Octokit.plugin(throttling), { throttle: noLimit })],
  ["+ both plugins as shipped", plain(Octokit.plugin(retry, throttling), { throttle: noLimit })],
  ["Sluice's client (createGitHubApp)", standInApp(gh).installation(7) as unknown as Octokit],
];

/** Per-call latencies of CALLS calls, `lanes` at a time. */
async function calls(octokit: Octokit, lanes: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = 0; i < CALLS / lanes; i++) {
        const start = performance.now();
        await octokit.rest.pulls.get({ owner: "acme", repo: "infra", pull_number: 1 });
        times.push(performance.now() - start);
      }
    }),
  );
  return times;
}

const results = new Map<string, { one: number[]; eight: number[] }>();
for (const [name, octokit] of clients) {
  await calls(octokit, 8); // warm-up, and the installation token
  results.set(name, { one: [], eight: [] });
}
// Rounds alternate between the clients, so a noisy moment falls on all of them.
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, octokit] of clients) {
    const r = results.get(name);
    r?.one.push(median(await calls(octokit, 1)));
    r?.eight.push(median(await calls(octokit, 8)));
  }
}
await gh.close();
await http.close();

const base = results.get("bare Octokit (baseline)");
const baseOne = median(base?.one ?? [Number.NaN]);
const rows = [...results].map(([name, r]) => {
  const one = median(r.one);
  return `| ${name} | ${ms(one)} | ${(one / baseOne).toFixed(1)}× | ${ms(median(r.eight))} |`;
});
const section = `## GitHub client: time per call (\`bench/github-client.bench.ts\`)

Command: \`npm run bench -- github-client\`. \`pulls.get\` against the GitHub stand-in in the same process, over the
service's undici \`fetch\`, ${CALLS} calls per measurement, ${ROUNDS} rounds alternating between the clients; the median
call of each round, then the median of the rounds. Baseline: bare Octokit with auth-app, same stand-in, same run.

| client | one call at a time | ÷ baseline | 8 at a time |
| --- | --- | --- | --- |
${rows.join("\n")}

The plugins' Bottleneck instances add \`setTimeout\` hops to every call: idle time, not CPU, and a whole event-loop
turn each when the process is busy. Sluice's client replaces the throttling plugin's (github/retry-limiter.ts,
github/spacing.ts); the retry plugin's remains (it offers no way to replace it).
`;
console.log(section);
writeSection("github-client", section);
