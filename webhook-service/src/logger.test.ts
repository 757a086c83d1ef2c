import { expect, it } from "vitest";
import { eachDatabase } from "../test/databases.ts";
import { logLines } from "../test/log-lines.ts";
import { createLogger, withDelivery } from "./logger.ts";
import { enqueue } from "./queue/queue.ts";
import { Worker } from "./queue/worker.ts";

function capture() {
  const lines = logLines();
  return { log: createLogger("info", lines), lines: lines.entries };
}

const tick = () => new Promise((r) => setTimeout(r, 1));

it("puts the delivery id on every line written while handling it, through timers and promises, and only there", async () => {
  const { log, lines } = capture();
  log.info("before");
  await withDelivery("d-1", async () => {
    log.info("inside");
    await tick();
    log.child({ job: 3 }).warn("after a timer, from a child logger");
    await withDelivery(undefined, async () => log.info("explicitly outside"));
  });
  await withDelivery("d-2", async () => log.info("another"));
  log.info("after");
  expect(lines.map((l) => [l.msg, l.delivery])).toEqual([
    ["before", undefined],
    ["inside", "d-1"],
    ["after a timer, from a child logger", "d-1"],
    ["explicitly outside", undefined],
    ["another", "d-2"],
    ["after", undefined],
  ]);
});

eachDatabase("worker log lines", (t) => {
  it("a job's lines carry its delivery, including those of loggers it did not get (Octokit's), and the poll's do not", async () => {
    const { db } = t();
    await db.query("TRUNCATE jobs");
    const { log, lines } = capture();
    const done: string[] = [];
    const worker = new Worker(
      db,
      {
        noted: {
          async run(job, jobLog) {
            jobLog.info("from the job's logger");
            await tick();
            log.warn("from the service's logger, as Octokit logs");
            done.push(String(job.payload.deliveryId));
          },
        },
      },
      { concurrency: 2, leaseMs: 5_000, pollMs: 20 },
      log,
    );
    await enqueue(db, "noted", { key: "a", payload: { deliveryId: "d-a" } });
    await enqueue(db, "noted", { key: "b", payload: { deliveryId: "d-b" } });
    worker.start();
    for (let i = 0; i < 500 && done.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop(1_000);
    const jobLines = lines.filter((l) => String(l.msg).startsWith("from the"));
    expect(jobLines).toHaveLength(4);
    for (const l of jobLines) expect(l.delivery).toMatch(/^d-[ab]$/);
    expect(new Set(jobLines.map((l) => l.delivery))).toEqual(new Set(["d-a", "d-b"]));
    // Each job's own lines name its own delivery, never the other's.
    expect(
      jobLines
        .filter((l) => l.job !== undefined)
        .map((l) => l.delivery)
        .sort(),
    ).toEqual(["d-a", "d-b"]);
  });
});
