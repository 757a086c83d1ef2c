import { performance } from "node:perf_hooks";
import { Pool } from "undici";

/**
 * Send times (ms from the start) of a Poisson arrival process at `ratePerSecond` over `seconds`: independent
 * arrivals, as webhook deliveries from many repositories come. Seeded, so that two runs offer the same load.
 */
export function poissonSchedule(ratePerSecond: number, seconds: number, seed = 1): number[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: small, seeded, good enough for inter-arrival times.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const times: number[] = [];
  const end = seconds * 1000;
  for (let t = 0; ; ) {
    t += (-Math.log(1 - random()) / ratePerSecond) * 1000;
    if (t >= end) return times;
    times.push(t);
  }
}

export interface PacedResult {
  readonly sent: number;
  readonly acknowledged: number;
  readonly errors: number;
  /** From the start until the last answer. */
  readonly seconds: number;
  /** Milliseconds from each request's scheduled send time to its response (queueing in the client included). */
  readonly latencies: number[];
}

/**
 * Open-loop load: each request is sent at its scheduled time whatever became of the earlier ones (over up to
 * `connections` keep-alive connections), and its latency counts from that time, so a stall shows in the
 * percentiles instead of slowing the offered load. (autocannon's overallRate is closed-loop per second: each
 * connection sends its share back to back at the top of every second, then waits, which measures bursts.)
 */
export async function pacedLoad(options: {
  readonly origin: string;
  readonly path: string;
  readonly schedule: readonly number[];
  readonly connections: number;
  readonly request: (i: number) => { body: string; headers: Record<string, string> };
}): Promise<PacedResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  let acknowledged = 0;
  let errors = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  try {
    for (let i = 0; i < options.schedule.length; i++) {
      const at = start + (options.schedule[i] as number);
      const wait = at - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const { body, headers } = options.request(i);
      // A request sent up to a millisecond early (timer granularity) counts from when it was sent.
      const from = Math.min(at, performance.now());
      pending.push(
        pool.request({ method: "POST", path: options.path, body, headers }).then(
          async (res) => {
            await res.body.dump();
            latencies.push(performance.now() - from);
            if (res.statusCode >= 200 && res.statusCode < 300) acknowledged++;
            else errors++;
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await Promise.all(pending);
  } finally {
    await pool.close();
  }
  return {
    sent: options.schedule.length,
    acknowledged,
    errors,
    // Until the last answer: a service that falls behind stretches the run and lowers its rate.
    seconds: Math.max((options.schedule.at(-1) ?? 0) / 1000, (performance.now() - start) / 1000),
    latencies,
  };
}
