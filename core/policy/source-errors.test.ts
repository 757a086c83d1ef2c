import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parsePolicy } from "./parse.ts";
import {
  describeValue,
  formatSourceError,
  LocatedDocument,
  type SourceError,
  sortErrors,
} from "./source-errors.ts";

const errorsOf = (text: string) => new LocatedDocument("f.yaml", text).syntaxErrors.map(formatSourceError);

describe("formatSourceError", () => {
  it("leaves the field path out when the error is about the whole document", () => {
    const e = { file: "f.yaml", line: 2, column: 3, path: "", message: "bad" };
    expect(formatSourceError(e)).toBe("f.yaml:2:3: bad");
    expect(formatSourceError({ ...e, path: "a[0]" })).toBe("f.yaml:2:3: a[0]: bad");
  });
});

describe("describeValue", () => {
  it("calls undefined nothing", () => {
    expect(describeValue(undefined)).toBe("nothing");
  });

  it("shortens a value only past 60 characters", () => {
    const sixty = `"${"x".repeat(58)}"`;
    expect(describeValue("x".repeat(58))).toBe(sixty);
    expect(describeValue("x".repeat(59))).toBe(`"${"x".repeat(56)}...`);
  });
});

describe("LocatedDocument", () => {
  it("reports a syntax error on its first line only, with no field and no value", () => {
    const doc = new LocatedDocument("f.yaml", "a: [");
    expect(doc.syntaxErrors.map(formatSourceError)).toEqual([
      "f.yaml:1:5: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(doc.value).toBeUndefined();
  });

  it("reports a repeated key", () => {
    expect(errorsOf("a: 1\na: 2\n")).toEqual(["f.yaml:2:1: Map keys must be unique"]);
  });

  it("reports an alias without its anchor instead of throwing", () => {
    expect(errorsOf("a: *x\n")).toEqual([
      "f.yaml:1:1: Unresolved alias (the anchor must be set before the alias): x",
    ]);
    const r = parsePolicy("version: 1\nrules: *rules\n", "cc.yaml");
    expect(r.ok ? [] : r.errors.map(formatSourceError)).toEqual([
      "cc.yaml:1:1: Unresolved alias (the anchor must be set before the alias): rules",
    ]);
  });

  it("reports too many aliases (a resource exhaustion attack) instead of throwing", () => {
    const doc = new LocatedDocument("f.yaml", `a: &a [1]\nb: [${Array(101).fill("*a").join(", ")}]\n`);
    expect(doc.syntaxErrors.map(formatSourceError)).toEqual([
      "f.yaml:1:1: Excessive alias count indicates a resource exhaustion attack",
    ]);
    expect(doc.value).toBeUndefined();
    const fine = new LocatedDocument("f.yaml", `a: &a [1]\nb: [${Array(3).fill("*a").join(", ")}]\n`);
    expect(fine.syntaxErrors).toEqual([]);
  });

  it("finds no value under a null or a scalar", () => {
    const doc = new LocatedDocument("f.yaml", "a: null\nb: text\n");
    expect(doc.valueAt(["a", "x"])).toBeUndefined();
    expect(doc.valueAt(["b", 0])).toBeUndefined();
    expect(doc.valueAt(["b"])).toBe("text");
  });

  it("places an error at a key under a scalar at the scalar, not at a key of that name elsewhere", () => {
    const doc = new LocatedDocument("f.yaml", "a: null\nb: 1\n");
    expect(doc.errorAt(["a", "b"], "m", true)).toMatchObject({ line: 1, column: 4, path: "a.b" });
  });

  it("words each kind of validation issue with the value it got", () => {
    const doc = new LocatedDocument(
      "f.yaml",
      "list: []\nname: ''\ncount: 0\nbig: 5\nfmt: abc\nrec: { a: 1 }\nu: true\nv: true\n",
    );
    const schema = z.object({
      list: z.array(z.string()).min(1),
      name: z.string().min(1),
      count: z.number().min(1),
      big: z.number().max(3),
      fmt: z.string().regex(/^\d+$/, "digits only"),
      rec: z.record(z.string().min(2), z.number()),
      u: z.union([z.string(), z.number()]),
      v: z.union([z.string(), z.number()], { error: "a name or a number" }),
      missing: z.string(),
    });
    const r = schema.safeParse(doc.value);
    expect(r.success).toBe(false);
    expect(doc.zodErrors(r.error?.issues ?? []).map(formatSourceError)).toEqual([
      "f.yaml:1:1: missing: missing, expected string",
      "f.yaml:1:7: list: got [], expected at least 1 item(s)",
      'f.yaml:2:7: name: got "", expected a non-empty string',
      "f.yaml:3:8: count: got 0, expected at least 1",
      "f.yaml:4:6: big: got 5, expected at most 3",
      'f.yaml:5:6: fmt: got "abc", expected digits only',
      "f.yaml:6:11: rec.a: got 1, invalid key: Too small: expected string to have >=2 characters",
      "f.yaml:7:4: u: got true, expected one of the allowed forms",
      "f.yaml:8:4: v: got true, expected a name or a number",
    ]);
  });

  it("joins the problems of a bad key with semicolons", () => {
    const doc = new LocatedDocument("f.yaml", "rec: { a: 1 }\n");
    const r = z.object({ rec: z.record(z.string().min(2).regex(/^\d+$/), z.number()) }).safeParse(doc.value);
    expect(doc.zodErrors(r.error?.issues ?? []).map((e) => e.message)).toEqual([
      "got 1, invalid key: Too small: expected string to have >=2 characters; Invalid string: must match pattern /^\\d+$/",
    ]);
  });
});

describe("sortErrors", () => {
  const e = (line: number, column: number, message: string): SourceError => ({
    file: "f",
    line,
    column,
    path: "",
    message,
  });

  it("orders errors by line, then column, then message", () => {
    const sorted = sortErrors([e(3, 1, "a"), e(2, 9, "b"), e(2, 9, "a"), e(2, 1, "z"), e(1, 5, "c")]);
    expect(sorted.map((x) => `${x.line}:${x.column}:${x.message}`)).toEqual([
      "1:5:c",
      "2:1:z",
      "2:9:a",
      "2:9:b",
      "3:1:a",
    ]);
  });
});
