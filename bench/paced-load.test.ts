import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { pacedLoad, poissonSchedule } from "./paced-load.ts";

describe("poissonSchedule", () => {
  it("offers the rate on average, in increasing times within the run, the same for the same seed", () => {
    const times = poissonSchedule(1500, 20, 7);
    expect(times.length).toBeGreaterThan(1500 * 20 * 0.97);
    expect(times.length).toBeLessThan(1500 * 20 * 1.03);
    expect(times.every((t, i) => t > (times[i - 1] ?? -1) && t < 20_000)).toBe(true);
    expect(poissonSchedule(1500, 20, 7)).toEqual(times);
    expect(poissonSchedule(1500, 20, 8)).not.toEqual(times);
    // Independent arrivals: gaps are exponential, so about 1/e of them are longer than the mean gap.
    const mean = 1000 / 1500;
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const longer = gaps.filter((g) => g > mean).length / gaps.length;
    expect(longer).toBeGreaterThan(0.34);
    expect(longer).toBeLessThan(0.4);
  });
});

describe("pacedLoad", () => {
  it("sends every scheduled request with its own body and headers, and counts 2xx as acknowledged", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        seen.push(`${req.headers["x-n"]}:${body}`);
        res.statusCode = Number(req.headers["x-n"]) % 3 === 0 ? 500 : 202;
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await pacedLoad({
        origin: `http://127.0.0.1:${port}`,
        path: "/in",
        schedule: poissonSchedule(200, 0.3, 3),
        connections: 4,
        request: (i) => ({ body: `b${i}`, headers: { "x-n": String(i) } }),
      });
      expect(result.sent).toBe(seen.length);
      expect(seen.sort()).toEqual(Array.from({ length: result.sent }, (_, i) => `${i}:b${i}`).sort());
      const failing = Array.from({ length: result.sent }, (_, i) => i).filter((i) => i % 3 === 0).length;
      expect(result.errors).toBe(failing);
      expect(result.acknowledged).toBe(result.sent - failing);
      expect(result.latencies).toHaveLength(result.sent);
      expect(Math.min(...result.latencies)).toBeGreaterThanOrEqual(0);
    } finally {
      server.close();
    }
  });
});
