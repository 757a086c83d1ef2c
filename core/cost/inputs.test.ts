import { describe, expect, it } from "vitest";
import { parsePriceData } from "./prices.ts";
import { SHIPPED_TEXT, shipped } from "./test/book.ts";
import { parseUsage } from "./usage.ts";

describe("usage files", () => {
  it("reads Infracost's keys: per address over per-type defaults", () => {
    const u = parseUsage(
      "version: 0.1\nresource_type_default_usage:\n  aws_nat_gateway:\n    monthly_data_processed_gb: 10\nresource_usage:\n  module.net.aws_nat_gateway.a:\n    monthly_data_processed_gb: 99\n",
      "usage/dev.yml",
    );
    expect(u.figures("module.net.aws_nat_gateway.a", "aws_nat_gateway")).toEqual({
      monthly_data_processed_gb: 99,
    });
    expect(u.figures("aws_nat_gateway.b", "aws_nat_gateway")).toEqual({ monthly_data_processed_gb: 10 });
  });

  it.each([
    [
      "a negative figure",
      "version: 0.1\nresource_type_default_usage:\n  aws_nat_gateway:\n    monthly_data_processed_gb: -5\n",
      /usage\/dev\.yml:4:\d+: resource_type_default_usage\.aws_nat_gateway\.monthly_data_processed_gb: .*0/,
    ],
    [
      "a key the type does not read",
      "version: 0.1\nresource_usage:\n  aws_nat_gateway.a:\n    monthly_requests: 5\n",
      /usage\/dev\.yml:4:\d+: .*unknown usage key for aws_nat_gateway; expected one of monthly_data_processed_gb/,
    ],
    [
      "not an address",
      "version: 0.1\nresource_usage:\n  nat:\n    monthly_requests: 5\n",
      /usage\/dev\.yml:3:\d+: .*expected a resource address/,
    ],
    ["a wrong version", "version: 2\n", /usage\/dev\.yml:1:\d+: version: /],
    ["bad YAML", "version: [0.1\n", /usage\/dev\.yml:\d+:\d+: /],
    [
      "an unknown type in defaults",
      "version: 0.1\nresource_type_default_usage:\n  aws_foo: {}\n",
      /usage\/dev\.yml:3:\d+: .*aws_foo/,
    ],
  ])("rejects %s naming the file, line and field", (_what, text, message) => {
    expect(() => parseUsage(text, "usage/dev.yml")).toThrow(message);
  });
});

describe("price data", () => {
  it("ships every required region and every key in each", () => {
    for (const region of [
      "us-east-1",
      "us-east-2",
      "us-west-2",
      "eu-west-1",
      "eu-west-2",
      "eu-central-1",
      "ap-southeast-1",
    ]) {
      expect(shipped.regions).toContain(region);
    }
    const keys = (region: string) => Object.keys(JSON.parse(SHIPPED_TEXT).regions[region]).sort();
    for (const region of shipped.regions) expect(keys(region)).toEqual(keys("us-east-1"));
    const m7g = shipped.price("eu-west-1", "ec2.m7g.large");
    expect(m7g).toMatchObject({ unit: "hour", taken: "2026-12-02" });
    expect(Object.keys(shipped.sources)).toContain(m7g?.source);
  });

  const base = JSON.parse(SHIPPED_TEXT);
  const withPrice = (price: unknown) =>
    JSON.stringify({ ...base, regions: { "us-east-1": { "nat.hour": price } } });
  it.each([
    [
      "a float price",
      withPrice({ usd: 0.045, unit: "hour", taken: "2026-12-02", source: "recalled" }),
      /prices\.json: regions\.us-east-1\.nat\.hour\.usd: /,
    ],
    [
      "a missing unit",
      withPrice({ usd: "0.045", taken: "2026-12-02", source: "recalled" }),
      /prices\.json: regions\.us-east-1\.nat\.hour\.unit: /,
    ],
    [
      "a bad date",
      withPrice({ usd: "0.045", unit: "hour", taken: "Dec 2", source: "recalled" }),
      /regions\.us-east-1\.nat\.hour\.taken: .*YYYY-MM-DD/,
    ],
    [
      "an unlisted source",
      withPrice({ usd: "0.045", unit: "hour", taken: "2026-12-02", source: "blog" }),
      /regions\.us-east-1\.nat\.hour\.source: 'blog' is not one of the sources/,
    ],
    ["not JSON", "{", /prices\.json: is not JSON/],
  ])("rejects %s naming the file and field", (_what, text, message) => {
    expect(() => parsePriceData(text, "prices.json")).toThrow(message);
  });
});
