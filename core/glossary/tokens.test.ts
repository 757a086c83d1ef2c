import { describe, expect, it } from "vitest";
import { literalText, splitTokens, splitWords } from "./tokens.ts";

describe("splitTokens", () => {
  it.each([
    ["dev-app_db.x/y:z w", ["dev", "app", "db", "x", "y", "z", "w"]],
    ["--dev--s3--", ["dev", "s3"]],
    ["", []],
    ["HTTPServer2Go", ["http", "server2", "go"]],
    ["prodDB", ["prod", "db"]],
    ["ABC-def", ["abc", "def"]],
    ["-A-b-", ["a", "b"]],
    ["S3Bucket", ["s3", "bucket"]],
    ["Ec2-Instance", ["ec2", "instance"]],
    ["DB", ["db"]],
    ["ABC-EC2X", ["abc", "ec2x"]],
    ["dev-EC2Instance", ["dev", "ec2", "instance"]],
  ])("%s", (name, tokens) => {
    expect(splitTokens(name)).toEqual(tokens);
  });
});

describe("splitWords", () => {
  it("splits prose on non-alphanumerics, lowercased, with each word's index", () => {
    expect(splitWords("Hello, World 42!")).toEqual([
      { word: "hello", index: 0 },
      { word: "world", index: 7 },
      { word: "42", index: 13 },
    ]);
  });
});

describe("literalText", () => {
  it("replaces each reference, nested braces and all, by one space", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform references, on purpose
    const [one, nested, open, two, braced] = ["a-${x}-b", "${a{b}c}d", "x${y", "${a}${b}c", "{${x}}"];
    expect(literalText(one)).toBe("a- -b");
    expect(literalText(nested)).toBe(" d");
    expect(literalText(open)).toBe("x ");
    expect(literalText(two)).toBe("  c");
    expect(literalText(braced)).toBe("{ }");
    expect(literalText(`a{x}-$b-${open}`)).toBe("a{x}-$b-x ");
  });
});
