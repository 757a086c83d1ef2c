import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartSchema, charts, ROOT } from "./charts.ts";
import { declaredPrefix, valuesRefs } from "./template-refs.ts";

/** Every `.Values` path a chart's templates write that its values.schema.json does not declare. */
function undeclared(chart: string): string[] {
  const schema = chartSchema(chart);
  const dir = join(ROOT, chart, "templates");
  return readdirSync(dir).flatMap((name) =>
    valuesRefs(readFileSync(join(dir, name), "utf8"))
      .filter((ref) => declaredPrefix(schema, ref.path).length < ref.path.length)
      .map((ref) => `${chart}/templates/${name}:${ref.line}: .Values.${ref.path.join(".")}`),
  );
}

describe("template references to .Values", () => {
  it("are found with their line, from $ too, but not in other identifiers", () => {
    expect(valuesRefs("a {{ .Values.image.digest }}\n{{ $.Values.env | quote }} {{ $x.Values.no }}")).toEqual(
      [
        { path: ["image", "digest"], line: 1 },
        { path: ["env"], line: 2 },
      ],
    );
  });

  it("resolve through properties, $refs and maps, and stop at the first undeclared field", () => {
    const schema = chartSchema("gitops/charts/service");
    expect(declaredPrefix(schema, ["probes", "startup", "path"])).toEqual(["probes", "startup", "path"]);
    expect(declaredPrefix(schema, ["env", "ANY_NAME"])).toEqual(["env", "ANY_NAME"]);
    expect(declaredPrefix(schema, ["image", "tag"])).toEqual(["image"]);
    expect(declaredPrefix(schema, ["replica"])).toEqual([]);
    expect(declaredPrefix(schema, ["resources", "requests", "gpu"])).toEqual(["resources", "requests"]);
  });

  it("all exist in their chart's schema", () => {
    const all = charts();
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const chart of all) expect(undeclared(chart), chart).toEqual([]);
    const serviceRefs = readdirSync(join(ROOT, "gitops/charts/service/templates")).flatMap((name) =>
      valuesRefs(readFileSync(join(ROOT, "gitops/charts/service/templates", name), "utf8")),
    );
    expect(serviceRefs.length).toBeGreaterThan(30);
    // The tenant chart writes its values through $.Values inside range, which the scan reads too.
    const tenantRefs = readdirSync(join(ROOT, "gitops/charts/tenant/templates")).flatMap((name) =>
      valuesRefs(readFileSync(join(ROOT, "gitops/charts/tenant/templates", name), "utf8")).map((r) =>
        r.path.join("."),
      ),
    );
    expect(tenantRefs).toEqual(
      expect.arrayContaining([
        "quota.requests.cpu",
        "limits.max.memory",
        "networkPolicy.allowTenant",
        "server",
      ]),
    );
    const schema = chartSchema("gitops/charts/tenant");
    expect(declaredPrefix(schema, ["quota", "pod"])).toEqual(["quota"]);
  });
});
