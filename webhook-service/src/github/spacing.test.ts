import { describe, expect, it } from "vitest";
import { concurrencyGroup } from "./spacing.ts";

describe("concurrencyGroup (the throttling plugin's global limiter)", () => {
  it("runs at most `max` requests of one key at once, in arrival order, and other keys beside them", async () => {
    const group = concurrencyGroup(2);
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const releases: (() => void)[] = [];
    const request = (name: string) => async () => {
      started.push(name);
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return name;
    };
    const a = ["a1", "a2", "a3", "a4"].map((n) => group.key("1").schedule({}, request(n)));
    const b = group.key("2").schedule({}, request("b1"));
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual(["a1", "a2", "b1"]);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await Promise.all(a)).toEqual(["a1", "a2", "a3", "a4"]);
    expect(await b).toBe("b1");
    expect(started).toEqual(["a1", "a2", "b1", "a3", "a4"]);
    expect(peak).toBe(3);
  });

  it("frees the slot of a request that fails", async () => {
    const group = concurrencyGroup(1);
    await expect(group.key("1").schedule({}, async () => Promise.reject(new Error("500")))).rejects.toThrow(
      "500",
    );
    expect(await group.key("1").schedule({}, async () => "next")).toBe("next");
  });
});
