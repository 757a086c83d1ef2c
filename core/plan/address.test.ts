import { describe, expect, it } from "vitest";
import { addressSteps, moduleOf, parseAddress } from "./address.ts";

describe("parseAddress", () => {
  it("parses module calls, data sources and keys", () => {
    expect(parseAddress('module.net["eu"].module.sub[0].data.aws_ami.this["x"]')).toEqual({
      modules: [
        { name: "net", key: "eu" },
        { name: "sub", key: 0 },
      ],
      mode: "data",
      type: "aws_ami",
      name: "this",
      key: "x",
    });
  });

  it("never splits string keys that contain dots, brackets or quotes", () => {
    const address = 'module.a["x.y[0]"].aws_s3_bucket.b["k\\"e.y]"]';
    const parsed = parseAddress(address);
    expect(parsed?.modules).toEqual([{ name: "a", key: "x.y[0]" }]);
    expect(parsed?.type).toBe("aws_s3_bucket");
    expect(parsed?.key).toBe('k"e.y]');
    expect(moduleOf(address)).toBe('module.a["x.y[0]"]');
  });

  it("rejects malformed addresses", () => {
    expect(addressSteps('a["unterminated')).toBeUndefined();
    expect(parseAddress("aws_instance")).toBeUndefined();
    expect(parseAddress("a..b")).toBeUndefined();
    expect(moduleOf("aws_instance.web")).toBe("");
  });
});
