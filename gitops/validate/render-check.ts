import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";

type Obj = Record<string, unknown> & { kind?: string; metadata?: { name?: string; namespace?: string } };

const key = (o: Obj) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

function objects(text: string): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as Obj | null;
    if (o && typeof o === "object") out.set(key(o), o);
  }
  return out;
}

/**
 * Differences between what `helm template` rendered and a hand-written fixture, object by object
 * (kind/namespace/name), ignoring order, comments and quoting. Empty when they match.
 */
export function renderDifferences(rendered: string, fixture: string): string[] {
  const a = objects(rendered);
  const b = objects(fixture);
  const out: string[] = [];
  for (const [k, o] of a) {
    const f = b.get(k);
    if (!f) out.push(`${k}: rendered but not in the fixture`);
    else if (!isDeepStrictEqual(o, f))
      out.push(`${k}: differs from the fixture:\n${JSON.stringify(o, null, 2)}`);
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(`${k}: in the fixture but not rendered`);
  return out;
}

// CLI for users' CI: `tsx gitops/validate/render-check.ts <rendered.yaml> <fixture.yaml>`.
if (process.argv[1] === import.meta.filename) {
  const [rendered, fixture] = process.argv.slice(2);
  if (!rendered || !fixture) {
    console.error("usage: render-check.ts <rendered.yaml> <fixture.yaml>");
    process.exit(2);
  }
  const problems = renderDifferences(readFileSync(rendered, "utf8"), readFileSync(fixture, "utf8"));
  for (const p of problems) console.error(`${fixture}: ${p}`);
  process.exit(problems.length > 0 ? 1 : 0);
}
