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

  it("reads escapes in string keys: \\n and \\t as control characters, any other escaped character as itself", () => {
    expect(parseAddress('aws_ssm_parameter.p["a\\nb\\tc\\\\d"]')?.key).toBe("a\nb\tc\\d");
    // Whitespace too: a backslash before a space or a raw newline stands for that character.
    expect(parseAddress('aws_ssm_parameter.p["a\\ b\\\nc"]')?.key).toBe("a b\nc");
  });

  it("reads numeric indexes of any length and nothing else", () => {
    expect(parseAddress("aws_instance.web[12]")?.key).toBe(12);
    expect(moduleOf("module.net[3].module.sub.aws_instance.web")).toBe("module.net[3].module.sub");
    for (const address of [
      "aws_instance.web[x1]",
      "aws_instance.web[1x]",
      "aws_instance.web[]",
      "aws_instance.web[1",
    ]) {
      expect(parseAddress(address), address).toBeUndefined();
    }
    // A key is read where its bracket opens, not from a later bracket.
    expect(addressSteps("a[x].b[0]")).toBeUndefined();
  });

  it("rejects a string key not closed by a bracket right after its quote", () => {
    expect(addressSteps('a["x"y.b')).toBeUndefined();
    expect(addressSteps('a["x\\')).toBeUndefined();
  });

  it("rejects empty names: a leading, doubled or trailing dot, or no address at all", () => {
    expect(parseAddress("module..aws_instance.web")).toBeUndefined();
    expect(moduleOf("module..aws_instance.web")).toBe("");
    for (const address of [".aws_instance.web", "aws_instance..web", "aws_instance.web.", ""]) {
      expect(addressSteps(address), JSON.stringify(address)).toBeUndefined();
    }
  });

  it("reads only module.NAME as a module call, data.TYPE.NAME as a data source, and exactly TYPE.NAME after them", () => {
    expect(parseAddress("aws_instance.web")).toStrictEqual({
      modules: [],
      mode: "managed",
      type: "aws_instance",
      name: "web",
    });
    // Two steps are a resource, even one whose type is "data".
    expect(parseAddress("data.x")).toMatchObject({ mode: "managed", type: "data", name: "x" });
    for (const address of [
      'module["a"].net.aws_instance.web',
      "data[0].aws_ami.x",
      "aws_instance[0].web",
      "aws_instance.web.extra",
    ]) {
      expect(parseAddress(address), address).toBeUndefined();
    }
    // Only a "." may follow a step.
    expect(addressSteps("a[0]xb")).toBeUndefined();
  });
});
