import { readFileSync } from "node:fs";
import { type PriceBook, parsePriceData } from "../prices.ts";

/** The price book shipped with Sluice, as the CLI loads it. */
export const SHIPPED_TEXT = readFileSync(new URL("../aws-prices.json", import.meta.url), "utf8");
export const shipped: PriceBook = parsePriceData(SHIPPED_TEXT, "aws-prices.json");
