import { describe, expect, it } from "vitest";
import { oneOf, parseOptions, UserError } from "./command.ts";

describe("parseOptions", () => {
  it("returns parsed options and positionals", () => {
    const parsed = parseOptions("x y", {
      args: ["--format", "json", "a"],
      allowPositionals: true,
      options: { format: { type: "string" } },
    });
    expect(parsed.values.format).toBe("json");
    expect(parsed.positionals).toEqual(["a"]);
  });

  it("turns an unknown option into a UserError that points at the command's help", () => {
    const run = () => parseOptions("plan review", { args: ["--bogus"], options: {} });
    expect(run).toThrow(UserError);
    expect(run).toThrow(/Unknown option '--bogus'.*see `sluice plan review --help`/);
  });
});

describe("oneOf", () => {
  it("falls back when the flag is absent and accepts a listed value", () => {
    expect(oneOf("format", undefined, ["text", "json"], "text")).toBe("text");
    expect(oneOf("format", "json", ["text", "json"], "text")).toBe("json");
  });

  it("names the flag, the choices and the bad value", () => {
    expect(() => oneOf("format", "yaml", ["text", "json"], "text")).toThrow(
      "--format must be text or json, got 'yaml'",
    );
    expect(() => oneOf("format", "yaml", ["markdown", "json", "text"], "markdown")).toThrow(
      "--format must be one of markdown, json, text, got 'yaml'",
    );
  });
});
