import { readFileSync, writeFileSync } from "node:fs";
import { type PriceFile, parsePriceData } from "../../core/cost/prices.ts";
import { extractPrices, type Offer, RULES } from "./offers.ts";

/**
 * Rebuilds core/cost/aws-prices.json from the AWS Price List bulk offer files, where the internet is
 * reachable (Sluice itself never calls the network). Every figure found is marked "aws-price-list"
 * with today's date; a key no offer gave keeps its old entry and is listed at the end, so nothing is
 * silently guessed.
 *
 *   npx tsx bench/prices/build-prices.ts                  # download the offers (large: EC2 is ~GBs)
 *   npx tsx bench/prices/build-prices.ts --offers DIR     # read DIR/<offerCode>/<region>.json instead
 */
const BASE = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";
const FILE = new URL("../../core/cost/aws-prices.json", import.meta.url);

async function offer(code: string, region: string, dir: string | undefined): Promise<Offer> {
  if (dir) return JSON.parse(readFileSync(`${dir}/${code}/${region}.json`, "utf8")) as Offer;
  const response = await fetch(`${BASE}/${code}/current/${region}/index.json`);
  if (!response.ok) throw new Error(`${code} ${region}: HTTP ${response.status}`);
  return (await response.json()) as Offer;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--offers");
  const dir = at >= 0 ? process.argv[at + 1] : undefined;
  const today = new Date().toISOString().slice(0, 10);
  const current = JSON.parse(readFileSync(FILE, "utf8")) as PriceFile;
  const codes = [...new Set(RULES.map((r) => r.offer))];
  const missing: string[] = [];
  const publications = new Set<string>();
  for (const region of Object.keys(current.regions)) {
    const prices = current.regions[region] ?? {};
    const seen = new Set<string>();
    for (const code of codes) {
      const o = await offer(code, region, dir);
      if (o.publicationDate) publications.add(`${code} ${o.publicationDate}`);
      for (const p of extractPrices(o)) {
        if (!(p.key in prices)) continue;
        prices[p.key] = { usd: p.usd, unit: p.unit, taken: today, source: "aws-price-list" };
        seen.add(p.key);
      }
    }
    for (const key of Object.keys(prices)) if (!seen.has(key)) missing.push(`${region} ${key}`);
  }
  const next: PriceFile = {
    ...current,
    generated: today,
    generator: "bench/prices/build-prices.ts",
    sources: {
      ...current.sources,
      "aws-price-list": `AWS Price List bulk offers (${BASE}/<offer>/current/<region>/index.json), publications: ${[...publications].sort().join("; ")}`,
    },
  };
  const text = `${JSON.stringify(next, null, 2)}\n`;
  parsePriceData(text, "core/cost/aws-prices.json");
  writeFileSync(FILE, text);
  console.log(
    `wrote core/cost/aws-prices.json; ${missing.length} price(s) kept from before (no offer matched):`,
  );
  for (const m of missing) console.log(`  ${m}`);
}

await main();
