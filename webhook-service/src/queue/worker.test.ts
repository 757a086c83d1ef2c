import { expect, it } from "vitest";
import { eachDatabase } from "../../test/databases.ts";
import { createLogger } from "../logger.ts";
import { enqueue } from "./queue.ts";
import { Worker } from "./worker.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy: 60 ms of CPU in every 70 ms, as a flood of deliveries does. */
function hogEventLoop(): () => void {
  const timer = setInterval(() => {
    const end = Date.now() + 60;
    while (Date.now() < end) {
      // busy
    }
  }, 10);
  return () => clearInterval(timer);
}

eachDatabase("worker under a lagging event loop", (t) => {
  const peakWhileHogged = async (yieldAboveLagMs: number) => {
    const { db } = t();
    await db.query("TRUNCATE jobs");
    let running = 0;
    let peak = 0;
    let done = 0;
    const worker = new Worker(
      db,
      {
        slow: {
          async run() {
            running++;
            peak = Math.max(peak, running);
            await sleep(150);
            running--;
            done++;
          },
        },
      },
      { concurrency: 4, leaseMs: 10_000, pollMs: 20, yieldAboveLagMs },
      createLogger("silent"),
    );
    worker.start();
    const stopHog = hogEventLoop();
    try {
      await sleep(700); // the lag is measured over quarter seconds
      const yielding = worker.yielding;
      for (const key of ["a", "b", "c", "d"]) await enqueue(db, "slow", { key });
      worker.wake();
      for (let i = 0; i < 400 && done < 4; i++) await sleep(20);
      return { peak, done, yielding };
    } finally {
      stopHog();
      await worker.stop(2_000);
    }
  };

  it("runs one job at a time while the event loop lags past yieldAboveLagMs, and all of them", async () => {
    expect(await peakWhileHogged(20)).toEqual({ peak: 1, done: 4, yielding: true });
  });

  it("runs up to its concurrency when the check is off (yieldAboveLagMs 0)", async () => {
    const result = await peakWhileHogged(0);
    expect(result.done).toBe(4);
    expect(result.yielding).toBe(false);
    expect(result.peak).toBeGreaterThan(1);
  });
});
