import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one process; each process has its own registry (tests run several). */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    deliveries: new Counter({
      name: "sluice_deliveries_total",
      help: "Webhook deliveries by event and outcome (accepted, duplicate, ignored, rejected)",
      labelNames: ["event", "outcome"] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "sluice_queue_depth",
      help: "Jobs waiting to run",
      registers: [registry],
    }),
    queueOldestAge: new Gauge({
      name: "sluice_queue_oldest_age_seconds",
      help: "Age of the oldest waiting job",
      registers: [registry],
    }),
    jobs: new Counter({
      name: "sluice_jobs_total",
      help: "Jobs finished by kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: "sluice_evaluation_duration_seconds",
      help: "Time from the start of an evaluation to its published result",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    decisionLatency: new Histogram({
      name: "sluice_decision_latency_seconds",
      help: "Time from a delivery's arrival to the decision published for it",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    githubCalls: new Counter({
      name: "sluice_github_requests_total",
      help: "GitHub API requests by method, route and status class",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    githubErrors: new Counter({
      name: "sluice_github_errors_total",
      help: "GitHub API requests that failed, by status",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
    rateLimitRemaining: new Gauge({
      name: "sluice_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the last GitHub response, per installation",
      labelNames: ["installation"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
