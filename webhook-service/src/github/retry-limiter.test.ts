import { describe, expect, it } from "vitest";
import { retryLimiter } from "./retry-limiter.ts";

const failing = (failures: number, error = new Error("boom")) => {
  const calls: unknown[][] = [];
  const fn = async (...args: unknown[]) => {
    calls.push(args);
    if (calls.length <= failures) throw error;
    return `ok after ${calls.length}`;
  };
  return { fn, calls };
};

describe("retryLimiter (the throttling plugin's retryLimiter, without Bottleneck)", () => {
  it("runs the job with its arguments and answers its value", async () => {
    const limiter = retryLimiter();
    const { fn, calls } = failing(0);
    await expect(limiter.schedule(fn, "a", 2)).resolves.toBe("ok after 1");
    expect(calls).toEqual([["a", 2]]);
  });

  it("rethrows a failure no listener answers, after asking each listener once", async () => {
    const limiter = retryLimiter();
    const seen: { retryCount: number; args: readonly unknown[] }[] = [];
    limiter.on("failed", (_e, info) => {
      seen.push(info);
      return undefined;
    });
    const error = new Error("not retried");
    const { fn, calls } = failing(5, error);
    await expect(limiter.schedule(fn, "x")).rejects.toBe(error);
    expect(calls).toHaveLength(1);
    expect(seen).toEqual([{ args: ["x"], retryCount: 0 }]);
  });

  it("runs the job again after the milliseconds a listener answers, counting retries", async () => {
    const limiter = retryLimiter();
    const counts: number[] = [];
    limiter.on("failed", async (_e, info) => {
      counts.push(info.retryCount);
      return info.retryCount < 3 ? 30 : undefined;
    });
    const { fn, calls } = failing(2);
    const started = performance.now();
    await expect(limiter.schedule(fn)).resolves.toBe("ok after 3");
    expect(calls).toHaveLength(3);
    expect(counts).toEqual([0, 1]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55); // two waits of 30 ms (timers may fire 1 ms early)
  });

  it("gives up when the listener stops answering", async () => {
    const limiter = retryLimiter();
    limiter.on("failed", (_e, info) => (info.retryCount < 2 ? 0 : undefined));
    const { fn, calls } = failing(10);
    await expect(limiter.schedule(fn)).rejects.toThrow("boom");
    expect(calls).toHaveLength(3);
  });

  it("takes the first answer among several listeners, and 0 counts as an answer", async () => {
    const limiter = retryLimiter();
    limiter.on("failed", () => undefined);
    limiter.on("failed", (_e, info) => (info.retryCount === 0 ? 0 : undefined));
    limiter.on("failed", () => 60_000);
    const { fn, calls } = failing(1);
    await expect(limiter.schedule(fn)).resolves.toBe("ok after 2");
    expect(calls).toHaveLength(2);
  });

  it("reports a listener that throws to the error listeners and does not retry on its account", async () => {
    const limiter = retryLimiter();
    const reported: unknown[] = [];
    const broken = new Error("listener broke");
    limiter.on("error", (e) => reported.push(e));
    limiter.on("failed", () => {
      throw broken;
    });
    const { fn, calls } = failing(1);
    await expect(limiter.schedule(fn)).rejects.toThrow("boom");
    expect(calls).toHaveLength(1);
    expect(reported).toEqual([broken]);
  });

  it("ignores other events, as the plugin registers none it needs here", async () => {
    const limiter = retryLimiter();
    limiter.on("retry", () => 0);
    const { fn, calls } = failing(1);
    await expect(limiter.schedule(fn)).rejects.toThrow("boom");
    expect(calls).toHaveLength(1);
  });
});
