import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { spawnService, waitReady } from "../webhook-service/test/child.ts";
import {
  type GitHubStandIn,
  seedFromPullRequestEvent,
  startGitHubStandIn,
  webhookExample,
} from "../webhook-service/test/github-standin/index.ts";
import { serviceEnv, TEST_POLICY } from "../webhook-service/test/service-env.ts";
import { post, signBody, signedDelivery } from "../webhook-service/test/sign.ts";
import { median, ms, writeSection } from "./harness.ts";
import { type PacedResult, pacedLoad, poissonSchedule } from "./paced-load.ts";

/**
 * The change-control service under signed pull_request deliveries (autocannon), with the GitHub stand-in,
 * beside a bare Hono "200 OK" route in the same run. The service runs as `npm start` does: its own process,
 * embedded PGlite in a fresh DATA_DIR (or BENCH_DATABASE_URL).
 */
const PULL_REQUESTS = 50;
const RATE = 1500;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Pull requests evaluated at once while measuring decision latency. */
const LANES = Number(process.env.BENCH_DECISION_LANES ?? 10);
const DECISION_WARMUP = 50;
const DECISION_SAMPLES = 200;
/**
 * BENCH_PHASES=decision measures decision latency only (for profiling an evaluation); BENCH_PHASES=intake
 * measures acknowledgements only, with every evaluation held back (for profiling the intake).
 */
const PHASES = process.env.BENCH_PHASES ?? "all";
const LOAD_PHASES = PHASES !== "decision";

/** Pull requests numbered from `first`, each with one commit, one changed file and the policy on its base. */
function seed(gh: GitHubStandIn, first: number, count: number) {
  const bodies: { body: string; repo: string; number: number }[] = [];
  for (let i = first; i < first + count; i++) {
    const payload = webhookExample("pull_request", { action: "synchronize" });
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    pr.number = 1000 + i;
    (payload as { number?: number }).number = pr.number;
    pr.head.sha = (1000 + i).toString(16).padStart(40, "c");
    const record = seedFromPullRequestEvent(gh.state, payload);
    gh.state.setContent(record.repo, record.base.ref, "change-control.yaml", TEST_POLICY);
    gh.state.setPullRequestFiles(record.repo, pr.number, [
      {
        filename: "docs/notes.md",
        status: "modified",
        additions: 1,
        deletions: 0,
        patch: "@@ -1 +1,2 @@\n a\n+b",
      },
    ]);
    gh.state.setContent(record.repo, pr.head.sha, "docs/notes.md", "a\nb\n");
    gh.state.setPullRequestCommits(record.repo, pr.number, [
      { sha: pr.head.sha, message: "Change", author: record.user, committer: record.user },
    ]);
    bodies.push({ body: JSON.stringify(payload), repo: record.repo, number: pr.number });
  }
  return bodies;
}

/** The headers GitHub sends with a signed pull_request delivery. */
function deliveryHeaders(signature: string, id: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-github-delivery": id,
    "x-hub-signature-256": signature,
  };
}

async function load(
  url: string,
  bodies: { body: string; signature: string }[],
  rate?: number,
  seconds = SECONDS,
) {
  let n = 0;
  return autocannon({
    url: `${url}/webhooks/github`,
    method: "POST",
    connections: 32,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const b = bodies[n++ % bodies.length];
          if (!b) return req;
          return {
            ...req,
            body: b.body,
            headers: deliveryHeaders(
              b.signature,
              `bench-${process.pid}-${n}-${Math.random().toString(36).slice(2)}`,
            ),
          };
        },
      },
    ],
  });
}

/** Deliveries arriving as a Poisson process at RATE for SECONDS (the same seeded schedule for every run). */
const schedule = poissonSchedule(RATE, SECONDS, 1);
let pacedN = 0;
function paced(url: string): Promise<PacedResult> {
  return pacedLoad({
    origin: url,
    path: "/webhooks/github",
    schedule,
    connections: 32,
    request: (i) => {
      const b = bodies[i % bodies.length];
      if (!b) throw new Error("no bodies");
      return {
        body: b.body,
        headers: deliveryHeaders(b.signature, `paced-${process.pid}-${pacedN++}`),
      };
    },
  });
}
const pacedRate = (r: PacedResult) => r.acknowledged / r.seconds;

async function spawnBare(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-hono.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout?.on("data", (d: Buffer) => {
      const m = /"port":(\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** CPU time (user + system) a process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Waits for the service's queue to empty, so decision latency is measured on its own. */
async function drain(url: string) {
  for (let i = 0; i < 600; i++) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    if (/sluice_queue_depth 0\b/.test(metrics)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One sample per pull request in `prs`, LANES at a time. */
async function decisionLatency(gh: GitHubStandIn, url: string, prs: { repo: string; number: number }[]) {
  const samples = prs.length;
  const times: number[] = [];
  const one = async (i: number) => {
    const target = prs[i];
    if (!target) return;
    const sha = (0xd000000 + target.number).toString(16).padStart(40, "d");
    gh.state.pushToPullRequest(target.repo, target.number, [
      { sha, message: `push ${i}`, author: "Codertocat", committer: "Codertocat" },
    ]);
    gh.state.setContent(target.repo, sha, "docs/notes.md", `a\nb\n${i}\n`);
    const payload = webhookExample("pull_request", { action: "synchronize" });
    const pr = payload.pull_request as { number: number; head: { sha: string } };
    pr.number = target.number;
    pr.head.sha = sha;
    const delivery = await signedDelivery("pull_request", payload);
    const start = performance.now();
    const res = await post(url, delivery);
    if (res.status !== 202) throw new Error(`delivery answered ${res.status}`);
    for (;;) {
      if (gh.checkRuns(target.repo, sha)[0]?.status === "completed") break;
      if (performance.now() - start > 30_000) throw new Error("no decision within 30 s");
      await new Promise((r) => setTimeout(r, 1));
    }
    times.push(performance.now() - start);
  };
  // LANES pull requests at a time, each sample on a pull request of its own and a fresh head SHA.
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    for (let i = lane; i < samples; i += LANES) {
      await one(i);
    }
  });
  await Promise.all(lanes);
  return times;
}

const gh = await startGitHubStandIn({ record: false, rateLimit: 100_000_000 });
const seeded = seed(gh, 0, PULL_REQUESTS);
/**
 * Decisions are measured on pull requests of their own, each pushed to once: a pull request evaluated less than
 * JOB_KEY_INTERVAL_MS (1 s) ago waits out that interval by design (bursts coalesce), which is not the latency
 * of a decision.
 */
const quiet = seed(gh, PULL_REQUESTS, DECISION_WARMUP + DECISION_SAMPLES);
const bodies = await Promise.all(
  seeded.map(async (b) => ({ body: b.body, signature: await signBody(b.body) })),
);
const dir = mkdtempSync(join(tmpdir(), "sluice-bench-"));
const database = process.env.BENCH_DATABASE_URL;
const serviceVars = serviceEnv(gh, {
  ...(database ? { DATABASE_URL: database } : { DATA_DIR: dir }),
  LOG_LEVEL: "info",
  WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? "8",
  ...(process.env.BENCH_WORKER_YIELD_LAG_MS
    ? { WORKER_YIELD_LAG_MS: process.env.BENCH_WORKER_YIELD_LAG_MS }
    : {}),
  ...(process.env.BENCH_EVALUATION_DELAY_MS || PHASES === "intake"
    ? { EVALUATION_DELAY_MS: process.env.BENCH_EVALUATION_DELAY_MS ?? "3600000" }
    : {}),
});
// e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service process(es).
const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(" ").filter(Boolean);
/**
 * BENCH_SPLIT=1 (PostgreSQL only) runs the service as a web process and a worker process (SERVICE_ROLE), the
 * worker under `nice -n BENCH_WORKER_NICE` (default 10): on one machine, what giving the web pods the larger
 * CPU share does in a cluster.
 */
const split = process.env.BENCH_SPLIT === "1";
if (split && !database)
  throw new Error("BENCH_SPLIT=1 needs BENCH_DATABASE_URL (PGlite belongs to one process)");
const service = await spawnService(
  split ? { ...serviceVars, SERVICE_ROLE: "web" } : serviceVars,
  undefined,
  nodeArgs,
);
const worker = split
  ? await spawnService({ ...serviceVars, SERVICE_ROLE: "worker" }, undefined, nodeArgs, [
      "nice",
      "-n",
      process.env.BENCH_WORKER_NICE ?? "10",
    ])
  : undefined;
/** The processes that make up the service. */
const servicePids = [service.child.pid, worker?.child.pid];
const serviceCpuMs = () => servicePids.reduce<number>((sum, pid) => sum + (pid ? cpuMs(pid) : 0), 0);
/** The process that runs the queue (its metrics tell the queue's depth). */
const queueUrl = () => worker?.url ?? service.url;
const bare = await spawnBare();
try {
  await waitReady(service.url);
  if (worker) await waitReady(worker.url);
  console.log(
    `service ${service.url} (${database ? "PostgreSQL" : "PGlite"}${worker ? `, web + worker ${worker.url}` : ""}), bare Hono ${bare.url}`,
  );
  if (!LOAD_PHASES) {
    await drain(queueUrl());
    await decisionLatency(gh, service.url, quiet.slice(0, DECISION_WARMUP)); // warm-up
    const serviceCpu = serviceCpuMs();
    const ownCpu = process.cpuUsage();
    const latency = await decisionLatency(gh, service.url, quiet.slice(DECISION_WARMUP));
    const own = process.cpuUsage(ownCpu);
    console.log(
      `decision latency, ${LANES} at a time: median ${ms(median(latency))}, p95 ${ms(percentile(latency, 95))}; CPU per decision: service ${((serviceCpuMs() - serviceCpu) / DECISION_SAMPLES).toFixed(1)} ms, stand-in ${((own.user + own.system) / 1000 / DECISION_SAMPLES).toFixed(1)} ms`,
    );
  } else {
    await load(bare.url, bodies, undefined, 3);
    await load(service.url, bodies, undefined, 3); // warm-up: JIT, caches, first evaluations
    const acked = (r: autocannon.Result) => r["2xx"] / r.duration;
    const bareFixed = await load(bare.url, bodies, RATE);
    const serviceFixed = await load(service.url, bodies, RATE);
    const barePaced = await paced(bare.url);
    const cpuBefore = serviceCpuMs();
    const servicePaced = await paced(service.url);
    const cpuPerDelivery = (serviceCpuMs() - cpuBefore) / Math.max(1, servicePaced.acknowledged);
    const bareMax = await load(bare.url, bodies);
    const serviceMax = await load(service.url, bodies);
    if (PHASES === "intake") {
      const line = (what: string, r: autocannon.Result) =>
        `${what}: ${acked(r).toFixed(0)}/s acknowledged, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`;
      const pacedLine = (what: string, r: PacedResult) =>
        `${what}: ${pacedRate(r).toFixed(0)}/s acknowledged, p50 ${ms(percentile(r.latencies, 50))}, p99 ${ms(percentile(r.latencies, 99))}`;
      console.log(
        [
          "intake only (evaluations held back):",
          pacedLine(`bare Hono, ${RATE}/s Poisson arrivals`, barePaced),
          pacedLine(`service, ${RATE}/s Poisson arrivals`, servicePaced),
          line(`bare Hono at ${RATE}/s (autocannon bursts)`, bareFixed),
          line(`service at ${RATE}/s (autocannon bursts)`, serviceFixed),
          line("bare Hono, as fast as it goes", bareMax),
          line("service, as fast as it goes", serviceMax),
          `service CPU per acknowledged delivery at ${RATE}/s: ${cpuPerDelivery.toFixed(3)} ms`,
        ].join("\n"),
      );
    } else {
      await drain(queueUrl());
      const latency = await decisionLatency(gh, service.url, quiet.slice(DECISION_WARMUP)).catch((error) => {
        const recent = service.logs.filter((l) => Number(l.level) >= 40).slice(-15);
        console.error(JSON.stringify(recent, null, 1));
        throw error;
      });
      const row = (what: string, r: autocannon.Result) =>
        `| ${what} | ${acked(r).toFixed(0)}/s | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx + r.errors} |`;
      const pacedRow = (what: string, r: PacedResult) =>
        `| ${what} | ${pacedRate(r).toFixed(0)}/s | ${ms(percentile(r.latencies, 50))} | ${ms(percentile(r.latencies, 99))} | ${r.errors} |`;
      const table = [
        "| run | acknowledged (2xx) | p50 latency | p99 latency | non-2xx + errors |",
        "| --- | --- | --- | --- | --- |",
        pacedRow(`baseline: bare Hono 200 OK, ${RATE}/s Poisson arrivals`, barePaced),
        pacedRow(`service: signed pull_request deliveries, ${RATE}/s Poisson arrivals`, servicePaced),
        row(`baseline: bare Hono, ${RATE}/s offered by autocannon (per-second bursts)`, bareFixed),
        row(`service, ${RATE}/s offered by autocannon (per-second bursts)`, serviceFixed),
        row("baseline: bare Hono, as fast as it goes", bareMax),
        row("service, as fast as it goes", serviceMax),
      ].join("\n");
      const p50 = median(latency);
      const p95 = percentile(latency, 95);
      const pacedP99 = percentile(servicePaced.latencies, 99);
      const fixedOk = pacedRate(servicePaced) >= RATE * 0.97 && pacedP99 < 25;
      const section = `## Change-control service: webhook intake and decisions (\`bench/service.bench.ts\`)

  Command: \`npm run bench -- service\` (${SECONDS} s per run after 3 s warm-ups; autocannon, 32 connections, in the
  benchmark process with the GitHub stand-in; ${worker ? `the service is two processes, \`SERVICE_ROLE=web\` and \`SERVICE_ROLE=worker\` under \`nice -n ${process.env.BENCH_WORKER_NICE ?? "10"}\` (BENCH_SPLIT=1),` : "the service is its own process as `npm start` runs it,"} on
  ${database ? "PostgreSQL (BENCH_DATABASE_URL)" : "embedded PGlite in a fresh DATA_DIR"}, WORKER_CONCURRENCY=8; ${PULL_REQUESTS}
  pull requests, each delivery a real pull_request.synchronize payload of ${(bodies[0]?.body.length ?? 0).toLocaleString("en")} bytes, signed,
  with a unique X-GitHub-Delivery). Baseline: a bare Hono app on @hono/node-server answering 200 OK, same requests, same run.
  Load average of the machine when the run ended: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")} (on 2 cores; other work shares them).

  ${table}

  Acknowledged at ${RATE}/s, Poisson arrivals (open loop, latency from each delivery's scheduled time; \`bench/paced-load.ts\`):
  ${pacedRate(servicePaced).toFixed(0)}/s with p99 ${ms(pacedP99)} (target ≥ ${RATE}/s with p99 < 25 ms: ${fixedOk ? "met" : "**not met**"}); service CPU per
  acknowledged delivery ${cpuPerDelivery.toFixed(2)} ms. autocannon's \`overallRate\` is shown too: each connection sends its
  share of a second back to back at the top of the second, then waits, so it measures bursts at full speed.
  Throughput ratio, service / bare Hono, as fast as each goes: **${(acked(serviceMax) / acked(bareMax)).toFixed(2)}×**.

  Decision latency (a push, then its signed synchronize delivery, until the completed \`sluice/change-control\`
  check run on the new head reaches the stand-in; ${DECISION_SAMPLES} samples after ${DECISION_WARMUP} warm-ups, ${LANES} pull request(s) at a time,
  each pushed to once, queue idle at start; a pull request evaluated less than JOB_KEY_INTERVAL_MS ago waits
  out that interval by design, docs/service.md):
  median ${ms(p50)}, p95 ${ms(p95)} (target p95 < 200 ms: ${p95 < 200 ? "met" : "**not met**"}). Each decision reads the
  pull request, its files, commits, reviews and comments, the policy, glossary and CODEOWNERS from the base
  branch, and writes the check run twice and the comment once (about 15 GitHub calls), plus the decision and
  its audit row.
  `;
      console.log(section);
      writeSection("service", section);
    }
  }
} finally {
  service.child.kill("SIGTERM");
  worker?.child.kill("SIGTERM");
  bare.stop();
  await service.exited;
  await worker?.exited;
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
}
