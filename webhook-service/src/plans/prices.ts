import { readFileSync } from "node:fs";
import { type PriceBook, parsePriceData } from "../../../core/cost/prices.ts";

const SHIPPED = new URL("../../../core/cost/aws-prices.json", import.meta.url);
let book: PriceBook | undefined;

/** The price book shipped in the repository, read once: plan uploads price each plan's changes with it. */
export function shippedPrices(): PriceBook {
  book ??= parsePriceData(readFileSync(SHIPPED, "utf8"), "core/cost/aws-prices.json");
  return book;
}
