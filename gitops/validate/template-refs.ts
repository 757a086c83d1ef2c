import type { Values } from "./charts.ts";

/** A `.Values.a.b` reference in a Helm template, with its 1-based line. */
export interface ValuesRef {
  path: string[];
  line: number;
}

/**
 * Every `.Values.x.y` (or `$.Values.x.y`) path written in a template. Paths reached through `with`,
 * `range` or a variable (`{{ with .Values.a }}{{ .b }}`, `$np.egress`) are not followed: only the
 * written `.Values` prefix is checked.
 */
export function valuesRefs(text: string): ValuesRef[] {
  const out: ValuesRef[] = [];
  for (const match of text.matchAll(/(?<![\w)])\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
    const line = text.slice(0, match.index).split("\n").length;
    out.push({ path: (match[1] ?? "").split(".").slice(1), line });
  }
  return out;
}

type Schema = Values;

/** Schemas an object property may follow: `properties[key]`, else a schema-valued additionalProperties. */
function propertySchemas(schema: Schema, key: string, root: Schema): Schema[] | "open" | undefined {
  const resolved = resolveRef(schema, root);
  const properties = resolved.properties as Record<string, Schema> | undefined;
  const found = properties?.[key];
  if (found) return [resolveRef(found, root)];
  const additional = resolved.additionalProperties;
  if (typeof additional === "object" && additional !== null) return [resolveRef(additional as Schema, root)];
  // No properties and additionalProperties not false: any field may exist (e.g. `values: { type: object }`).
  if (!properties && additional !== false && resolved.type === "object") return "open";
  return undefined;
}

function resolveRef(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got '${ref}'`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "object" || node === null) throw new Error(`unresolvable $ref '${ref}'`);
  return resolveRef(node as Schema, root);
}

/** The longest prefix of `path` the schema declares; equal to `path` when the whole path exists. */
export function declaredPrefix(schema: Schema, path: string[]): string[] {
  let current: Schema = schema;
  for (let i = 0; i < path.length; i++) {
    const next = propertySchemas(current, path[i] ?? "", schema);
    if (next === "open") return path;
    if (!next?.[0]) return path.slice(0, i);
    current = next[0];
  }
  return path;
}
