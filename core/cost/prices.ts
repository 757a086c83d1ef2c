import { z } from "zod";
import { type Dec, parseDec } from "./money.ts";

/**
 * The price book shipped with Sluice (core/cost/aws-prices.json): on-demand USD prices per region and
 * price key, each with its unit, the date it was taken and where it came from. Parsed and validated
 * here from text; the CLI reads the file. No network at run time.
 */

export class PriceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceDataError";
  }
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date 'YYYY-MM-DD'");
const decimal = z
  .string()
  .refine(
    (s) => parseDec(s) !== undefined && !s.startsWith("-"),
    'a non-negative decimal string such as "0.096"',
  );

const priceSchema = z.strictObject({
  usd: decimal,
  unit: z.string().min(1),
  taken: date,
  source: z.string().min(1),
});

export const priceFileSchema = z.strictObject({
  $comment: z.string().optional(),
  currency: z.literal("USD"),
  generated: date,
  generator: z.string().min(1),
  sources: z.record(z.string().min(1), z.string().min(1)),
  regions: z.record(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region code"),
    z.record(z.string().min(1), priceSchema),
  ),
});

export type PriceFile = z.infer<typeof priceFileSchema>;

export interface Price {
  readonly usd: Dec;
  readonly unit: string;
  readonly taken: string;
  readonly source: string;
}

export interface PriceBook {
  readonly currency: "USD";
  readonly regions: readonly string[];
  readonly sources: Readonly<Record<string, string>>;
  /** The price of `key` in `region`, undefined when the book has none. */
  price(region: string, key: string): Price | undefined;
}

/** Parses and validates price data; errors name the file and the field. */
export function parsePriceData(text: string, file: string): PriceBook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PriceDataError(`${file}: is not JSON (${(error as Error).message})`);
  }
  const parsed = priceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".") || "(top level)";
    throw new PriceDataError(`${file}: ${field}: ${issue?.message ?? "invalid"}`);
  }
  const data = parsed.data;
  for (const [region, prices] of Object.entries(data.regions)) {
    for (const [key, p] of Object.entries(prices)) {
      if (!(p.source in data.sources)) {
        throw new PriceDataError(
          `${file}: regions.${region}.${key}.source: '${p.source}' is not one of the sources listed (${Object.keys(data.sources).join(", ")})`,
        );
      }
    }
  }
  return priceBook(data);
}

export function priceBook(data: PriceFile): PriceBook {
  const table = new Map<string, Map<string, Price>>();
  for (const [region, prices] of Object.entries(data.regions)) {
    const m = new Map<string, Price>();
    for (const [key, p] of Object.entries(prices)) {
      m.set(key, { usd: parseDec(p.usd) as Dec, unit: p.unit, taken: p.taken, source: p.source });
    }
    table.set(region, m);
  }
  return {
    currency: "USD",
    regions: [...table.keys()].sort(),
    sources: data.sources,
    price: (region, key) => table.get(region)?.get(key),
  };
}
