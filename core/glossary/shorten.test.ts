import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isShortenHash, shortenName } from "./shorten.ts";

const hash = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 8);

describe("shortenName", () => {
  it("returns a name that fits unchanged, also one exactly at the limit", () => {
    expect(shortenName("dev-app-db", 10)).toBe("dev-app-db");
    expect(shortenName("dev-app-db.fifo", 15, ".fifo")).toBe("dev-app-db.fifo");
  });

  it("keeps whole tokens that fit, then '-' and the first 8 hex digits of the name's SHA-256", () => {
    const name = "dev-orders-queue-one";
    expect(shortenName(name, 19)).toBe(`dev-orders-${hash(name)}`);
    // Exactly room for dev-orders (10 = 19 - 8 - 1).
    expect(shortenName(name, 19)).toHaveLength(19);
    expect(shortenName(name, 18)).toBe(`dev-${hash(name)}`);
  });

  it("keeps the suffix, and only a suffix the name has", () => {
    const name = "dev-orders-queue-one.fifo";
    expect(shortenName(name, 24, ".fifo")).toBe(`dev-orders-${hash(name)}.fifo`);
    const other = "dev-orders-queue-one-fifo";
    expect(shortenName(other, 24, ".fifo")).toBe(`dev-orders-${hash(other)}.fifo`);
  });

  it("cuts a first token that alone is too long", () => {
    const name = "abcdefghijklmnopqrstuvwxyz";
    expect(shortenName(name, 20)).toBe(`abcdefghijk-${hash(name)}`);
  });

  it("refuses a limit that leaves no room for a character and the hash", () => {
    expect(() => shortenName("dev-orders-queue", 9)).toThrow(
      "cannot shorten 'dev-orders-queue' to 9 characters",
    );
    expect(shortenName("dev-orders-queue", 10)).toBe(`d-${hash("dev-orders-queue")}`);
    expect(() => shortenName("dev-orders-queue.fifo", 14, ".fifo")).toThrow(
      "cannot shorten 'dev-orders-queue.fifo' to 14 characters",
    );
  });
});

describe("isShortenHash", () => {
  it.each([
    ["0a1b2c3d", true],
    ["deadbeef", true],
    ["0a1b2c3", false],
    ["0a1b2c3d4", false],
    ["0a1b2c3g", false],
    ["0A1B2C3D", false],
  ])("%s: %s", (token, expected) => {
    expect(isShortenHash(token)).toBe(expected);
  });
});
