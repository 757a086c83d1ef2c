import { describe, expect, it } from "vitest";
import { extractPrices, type Offer } from "./offers.ts";

/** A tiny offer shaped like AWS's bulk files (products by SKU, terms.OnDemand by SKU). */
function offer(
  code: string,
  products: [string, string, Record<string, string>, [string, string, string][]][],
): Offer {
  return {
    offerCode: code,
    publicationDate: "2026-11-20T00:00:00Z",
    products: Object.fromEntries(
      products.map(([sku, family, attributes]) => [sku, { sku, productFamily: family, attributes }]),
    ),
    terms: {
      OnDemand: Object.fromEntries(
        products.map(([sku, , , dims]) => [
          sku,
          {
            [`${sku}.JRTCKXETXF`]: {
              priceDimensions: Object.fromEntries(
                dims.map(([begin, usd, unit], i) => [
                  `${sku}.JRTCKXETXF.${i}`,
                  { unit, beginRange: begin, endRange: "Inf", pricePerUnit: { USD: usd } },
                ]),
              ),
            },
          },
        ]),
      ),
    },
  };
}

const LINUX = {
  operatingSystem: "Linux",
  tenancy: "Shared",
  preInstalledSw: "NA",
  capacitystatus: "Used",
  licenseModel: "No License required",
};

describe("AWS bulk offer parsing", () => {
  it("takes Linux shared on-demand EC2 instances, EBS and NAT prices, ignoring other products", () => {
    const ec2 = offer("AmazonEC2", [
      [
        "A1",
        "Compute Instance",
        { ...LINUX, instanceType: "m6i.large", usagetype: "EUW1-BoxUsage:m6i.large" },
        [["0", "0.1070000000", "Hrs"]],
      ],
      [
        "A2",
        "Compute Instance",
        { ...LINUX, operatingSystem: "Windows", instanceType: "m6i.large" },
        [["0", "0.1990000000", "Hrs"]],
      ],
      [
        "A3",
        "Compute Instance",
        { ...LINUX, tenancy: "Dedicated", instanceType: "m6i.large" },
        [["0", "0.1180000000", "Hrs"]],
      ],
      ["B1", "Storage", { volumeApiName: "gp3" }, [["0", "0.0880000000", "GB-Mo"]]],
      ["C1", "NAT Gateway", { usagetype: "EUW1-NatGateway-Hours" }, [["0", "0.0480000000", "Hrs"]]],
      ["C2", "NAT Gateway", { usagetype: "EUW1-NatGateway-Bytes" }, [["0", "0.0480000000", "GB"]]],
    ]);
    expect(extractPrices(ec2)).toEqual([
      { key: "ebs.gp3.storage", usd: "0.088", unit: "GB-month" },
      { key: "ec2.m6i.large", usd: "0.107", unit: "hour" },
      { key: "nat.data", usd: "0.048", unit: "GB" },
      { key: "nat.hour", usd: "0.048", unit: "hour" },
    ]);
  });

  it("takes the first paid tier and converts per-request prices to Sluice's units", () => {
    const sqs = offer("AWSQueueService", [
      [
        "Q1",
        "API Request",
        { usagetype: "EUW1-Requests-Tier1" },
        [
          ["0", "0.0000000000", "Requests"],
          ["1000000", "0.0000004000", "Requests"],
        ],
      ],
    ]);
    expect(extractPrices(sqs)).toEqual([{ key: "sqs.standard.requests", usd: "0.4", unit: "1M requests" }]);
  });

  it("maps RDS PostgreSQL instances and storage by deployment option", () => {
    const rds = offer("AmazonRDS", [
      [
        "R1",
        "Database Instance",
        { databaseEngine: "PostgreSQL", deploymentOption: "Multi-AZ", instanceType: "db.m7g.large" },
        [["0", "0.3740000000", "Hrs"]],
      ],
      [
        "R2",
        "Database Instance",
        { databaseEngine: "MySQL", deploymentOption: "Single-AZ", instanceType: "db.m7g.large" },
        [["0", "0.1800000000", "Hrs"]],
      ],
      [
        "R3",
        "Database Storage",
        { databaseEngine: "PostgreSQL", deploymentOption: "Single-AZ", volumeType: "General Purpose-GP3" },
        [["0", "0.1270000000", "GB-Mo"]],
      ],
    ]);
    expect(extractPrices(rds)).toEqual([
      { key: "rds.postgres.db.m7g.large.multi-az", usd: "0.374", unit: "hour" },
      { key: "rds.storage.gp3", usd: "0.127", unit: "GB-month" },
    ]);
  });
});
