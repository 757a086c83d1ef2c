import { describe, expect, it } from "vitest";
import { NameChecker } from "./check.ts";
import { checkFile, kindByPath, UnusableInputError } from "./files.ts";
import { parseFixtureGlossary } from "./test/fixture-glossary.ts";

const checker = () => new NameChecker(parseFixtureGlossary());
const check = (path: string, content: string) => checkFile({ path, content }, checker());
const thrown = (path: string, content: string) => {
  try {
    check(path, content);
  } catch (error) {
    return error;
  }
  throw new Error("no error");
};

describe("kindByPath", () => {
  it.each([
    ["a/cdk.tf.JSON", "json"],
    ["x.yaml", "yaml"],
    ["x.YML", "yaml"],
    ["README.md", "text"],
    ["notes.markdown", "text"],
    ["a.txt", "text"],
    ["list.names", "names"],
    ["main.tf", "unrecognized"],
    ["json", "unrecognized"],
  ])("%s is %s", (path, kind) => {
    expect(kindByPath(path)).toBe(kind);
  });
});

describe("checkFile", () => {
  it("checks prose for synonyms deprecated everywhere, with lines", () => {
    expect(check("doc.md", "ok\nthe prd db\n")).toEqual({
      kind: "text",
      findings: [
        expect.objectContaining({ file: "doc.md", line: 2, name: "prd", rule: "deprecated-synonym" }),
      ],
    });
  });

  it("leaves files of other kinds alone", () => {
    expect(check("main.tf", 'resource "x" "y" { name = "prd" }')).toEqual({
      kind: "unrecognized",
      findings: [],
    });
  });

  it("reads a .names list: targets, names with spaces, comments, blank and CRLF lines", () => {
    const { kind, findings } = check(
      "x.names",
      "# c\r\n\r\n  tag-value  Name of #1  \r\ngeneric dev-ordrs\r\n",
    );
    expect(kind).toBe("names");
    expect(findings.map((f) => [f.line, f.name, f.target, f.rule])).toEqual([
      [3, "Name of #1", "tag-value", "invalid-characters"],
      [4, "dev-ordrs", "generic", "unknown-token"],
    ]);
  });

  it("names the line of a .names entry it cannot read", () => {
    for (const line of ["s3-bucket", "bucket dev-x"]) {
      const error = thrown("x.names", `generic dev\n${line}\n`);
      expect(error).toBeInstanceOf(UnusableInputError);
      expect(error).toMatchObject({
        name: "UnusableInputError",
        message: `x.names:2: expected 'TARGET NAME' with TARGET one of the name targets (see docs/glossary.md), got '${line}'`,
      });
    }
  });

  it("says what JSON that is not an object is", () => {
    for (const [content, got] of [
      ["[1]", "an array"],
      ["3", "number"],
      ['"x"', "string"],
      ["null", "null"],
    ]) {
      expect(thrown("a.json", content as string)).toMatchObject({
        message: `a.json: expected a JSON object (Terraform JSON or a plan), got ${got}`,
      });
    }
  });

  it("gives the line of a JSON syntax error, and the YAML error as it is", () => {
    expect(thrown("t.json", '{\n "a": 1,\n "b": "x" "y"\n}')).toMatchObject({
      message: expect.stringMatching(/^t\.json:3: not valid JSON: \S/),
    });
    expect(thrown("a.yaml", "a: b\na: c\n")).toMatchObject({
      name: "UnusableInputError",
      message: "a.yaml:2: not valid YAML: Map keys must be unique",
    });
  });

  it("reads YAML that merely mentions braces, and leaves Helm templates unrecognized", () => {
    const yaml = "apiVersion: v1\nkind: Namespace\nmetadata: { name: prd }\n";
    expect(check("a.yaml", yaml).kind).toBe("yaml");
    expect(check("a.yaml", yaml).findings.map((f) => f.rule)).toEqual(["deprecated-synonym"]);
    expect(check("b.yaml", `${yaml}# {{x}}\n`).kind).toBe("yaml");
    expect(check("c.yaml", `${yaml}# {{- x }}\n`).kind).toBe("unrecognized");
    expect(check("d.yaml", `${yaml}# {{ x }}\n`).kind).toBe("unrecognized");
  });

  it("gives each finding in JSON the line its name stands on, also when a name comes again or earlier", () => {
    // The snapshot identifier stands before the identifier: the check goes by attribute order, not the file's.
    const content = [
      '{"resource": {',
      ' "aws_iam_role": {',
      '  "a": {"name": "prd-role"},',
      '  "b": {"name": "dev-ordrs"}',
      " },",
      ' "aws_sqs_queue": {"c": {"name": "prd-role"}},',
      ' "aws_db_instance": {"d": {',
      '  "final_snapshot_identifier": "prd-db",',
      '  "identifier": "dev-DB"',
      " }}",
      "}}",
    ].join("\n");
    const lines = content.split("\n");
    const lineOf = (text: string, from = 0) => lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
    const { findings } = check("main.tf.json", content);
    expect(findings.map((f) => [f.name, f.rule, f.line])).toEqual([
      ["prd-role", "deprecated-synonym", lineOf("prd-role")],
      ["dev-ordrs", "unknown-token", lineOf("dev-ordrs")],
      ["prd-role", "deprecated-synonym", lineOf("prd-role", lineOf("prd-role"))],
      ["dev-DB", "uppercase", lineOf("dev-DB")],
      ["dev-DB", "invalid-characters", lineOf("dev-DB")],
      ["prd-db", "deprecated-synonym", lineOf("prd-db")],
    ]);
  });

  it("leaves a finding without a line when its name is not written as such in the file", () => {
    const content = '{"resource":{"aws_iam_role":{"a":{"name":"prd\\u002drole"}}}}';
    expect(check("x.json", content).findings.map((f) => [f.name, f.line])).toEqual([["prd-role", undefined]]);
  });

  it("finds a name that starts a line, and gives plan findings lines too", () => {
    const config = '{"resource": {"aws_iam_role": {"a": {"name":\n"prd-role"}}}}';
    expect(check("a.tf.json", config).findings.map((f) => f.line)).toEqual([2]);
    const plan =
      '{"resource_changes": [\n{"address": "r", "type": "aws_iam_role",\n "change": {"after": {"name": "prd-role"}}}]}';
    expect(check("p.json", plan).findings.map((f) => [f.name, f.line])).toEqual([["prd-role", 3]]);
  });

  it("keeps the lines the YAML parser gives, even where the name also stands quoted earlier", () => {
    const yaml = '# "prd"\napiVersion: v1\nkind: Namespace\nmetadata: { name: "prd" }\n';
    expect(check("a.yaml", yaml).findings.map((f) => [f.name, f.line])).toEqual([["prd", 4]]);
  });
});
