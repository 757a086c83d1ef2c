import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { parseCodeowners } from "./codeowners.ts";
import { compileGlobs, leadingLiteral, requiredLiterals } from "./globs.ts";

// Parsed inside each test (see stryker.config.mjs): parsed while the file loads, the parser's mutants would be
// "static" to Stryker, which then runs every related test for each of them. parseCodeowners keeps the last text
// it parsed: a last comment that differs on each call makes every test parse the text itself, so that Stryker's
// per-test coverage counts each of them (not only the first) as reaching the parser.
let parses = 0;
const owners = () =>
  parseCodeowners(`# comment
*               @org/all
*.tf            @tf-owner   # trailing comment
build/          @builder
/docs/          @docs
apps/api        @api
/notes/*        @notes
!negated        @nobody
# parse ${++parses}
`);

const TABLE: [string, string[]][] = [
  ["README.md", ["@org/all"]],
  ["modules/x/main.tf", ["@tf-owner"]],
  ["src/build/out.js", ["@builder"]],
  ["build", ["@org/all"]],
  ["docs/guide.md", ["@docs"]],
  ["src/docs/guide.md", ["@org/all"]],
  ["apps/api/server.ts", ["@api"]],
  ["apps/api", ["@api"]],
  ["other/apps/api/x.ts", ["@org/all"]],
  [".github/workflows/ci.yml", ["@org/all"]],
  ["notes/today.md", ["@notes"]],
  ["notes/2026/june.md", ["@org/all"]],
];

describe("CODEOWNERS", () => {
  it.each(TABLE)("%s is owned by %j (the last matching line wins)", (path, expected) => {
    expect(owners().ownersOf(path)).toEqual(expected);
  });

  it("ignores comments: whole lines, after a space, and to the end of the line", () => {
    const o = parseCodeowners(
      "#[draft] !old @x\n*.md @docs #@not-an-owner\u2028@nor-this\n*.ts @ts#1 @ts2\n",
    );
    expect(o.warnings).toEqual([]);
    expect(o.ownersOf("README.md")).toEqual(["@docs"]);
    expect(o.ownersOf("a.ts")).toEqual(["@ts#1", "@ts2"]);
  });

  it("reads owners separated by any whitespace, ignoring indentation and trailing spaces", () => {
    const o = parseCodeowners("  *.md\t@docs   @org/writers  \r\n\t/src/  @src \n");
    expect(o.ownersOf("README.md")).toEqual(["@docs", "@org/writers"]);
    expect(o.ownersOf("src/a.ts")).toEqual(["@src"]);
    expect(o.warnings).toEqual([]);
  });

  it("warns of negation and character classes with the line, and ignores those lines", () => {
    const o = parseCodeowners("*.md @md\n\nsrc/*.[ch] @c\n!*.md @none\n");
    expect(o.warnings).toEqual([
      "CODEOWNERS line 3: 'src/*.[ch]' uses syntax GitHub does not support; ignored",
      "CODEOWNERS line 4: '!*.md' uses syntax GitHub does not support; ignored",
    ]);
    expect(o.ownersOf("src/a.c")).toBeUndefined();
    expect(o.ownersOf("a.md")).toEqual(["@md"]);
  });

  it("reports lines GitHub would ignore", () => {
    expect(owners().warnings).toEqual([
      "CODEOWNERS line 8: '!negated' uses syntax GitHub does not support; ignored",
    ]);
  });

  it("has no owner for a path no line matches", () => {
    expect(parseCodeowners("/docs/ @docs\n").ownersOf("src/a.ts")).toBeUndefined();
  });
});

describe("CODEOWNERS for many paths at once", () => {
  const NAMES = ["a", "b", "docs", "x.ts", "y.md", ".github", "a.b.ts"];
  const segment = fc.constantFrom(...NAMES, "*", "**", "*.ts", "a*", "{a,b}", "?");
  // Patterns as people write them: anchored or not, directories, "dir/*", globstars, dotfiles.
  const pattern = fc
    .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([root, parts, directory]) => `${root ? "/" : ""}${parts.join("/")}${directory ? "/" : ""}`);
  const path = fc
    .array(fc.constantFrom(...NAMES, "", ".", ".."), { minLength: 1, maxLength: 5 })
    .map((parts) => parts.join("/"));
  const text = fc
    .array(fc.tuple(pattern, fc.constantFrom("@one", "@org/two", "@three")), { maxLength: 8 })
    .map((lines) => lines.map(([p, o]) => `${p} ${o}`).join("\n"));

  it("gives every path the owners ownersOf gives it, whatever the patterns and paths", () => {
    fc.assert(
      fc.property(text, fc.array(path, { maxLength: 12 }), (t, paths) => {
        const owners = parseCodeowners(t);
        expect(owners.ownersOfAll(paths)).toEqual(paths.map((p) => owners.ownersOf(p)));
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 500 },
    );
  });

  it("gives each path of a pull request the owners of the last matching line", () => {
    expect(owners().ownersOfAll(TABLE.map(([path]) => path))).toEqual(TABLE.map(([, expected]) => expected));
  });

  it.each([
    [
      "a dir/* line owns the files directly in dir only",
      "/notes/* @notes",
      ["notes/a.md", "notes/2026/b.md", "other/notes/c.md"],
      [["@notes"], undefined, undefined],
    ],
    ["a one-character name line", "? @one", ["src/a", "src/ab", "a/b/c"], [["@one"], undefined, ["@one"]]],
    [
      "an anchored directory line, not a file of its name",
      "/a/b/ @dir",
      ["a/b", "a/b/c", "x/a/b/c"],
      [undefined, ["@dir"], undefined],
    ],
    [
      "an anchored line with an inner slash, not at depth",
      "a/b @ab",
      ["a/b", "a/b/c", "x/a/b"],
      [["@ab"], ["@ab"], undefined],
    ],
    [
      "an unanchored directory line, not a file of its name",
      "docs/ @docs",
      ["docs", "src/docs", "src/docs/a.md"],
      [undefined, undefined, ["@docs"]],
    ],
    [
      "a rooted single-segment line owns the file and under it",
      "/docs @d",
      ["docs", "docs/a.md", "src/docs"],
      [["@d"], ["@d"], undefined],
    ],
    [
      "a later unanchored line wins over an earlier rooted one",
      "/docs/ @docs\n*.md @md",
      ["docs/a.md", "docs/a.ts"],
      [["@md"], ["@docs"]],
    ],
    [
      "a later rooted line wins over an earlier unanchored one",
      "*.md @md\n/docs/ @docs",
      ["docs/a.md", "a.md"],
      [["@docs"], ["@md"]],
    ],
    [
      "a name line, not a file that only starts with it",
      "a @x",
      ["ab", "a", "b/a", "a/b"],
      [undefined, ["@x"], ["@x"], ["@x"]],
    ],
    [
      "a directory line, not a path ending in a slash, '.' or '..'",
      "a/ @x",
      ["a/", "b/a/", "b/a", "a/b", "a/.", "a/.."],
      [undefined, undefined, undefined, ["@x"], undefined, undefined],
    ],
    ["blank lines own nothing", "* @all\n\n  \n", ["a/", "a/b/", "a"], [["@all"], ["@all"], ["@all"]]],
    // Extglobs and "**" are matched on the whole path ("a/a" is no "a/**/!(a)": its last segment is "a").
    [
      "an extglob line is matched on the whole path",
      "a/**/!(a) @x",
      ["a/a", "a/b", "a/b/a"],
      [undefined, ["@x"], ["@x"]],
    ],
  ])("%s, one by one and all at once", (_, text, paths, expected) => {
    const o = parseCodeowners(text);
    expect(paths.map((p) => o.ownersOf(p))).toEqual(expected);
    expect(o.ownersOfAll(paths)).toEqual(expected);
  });

  it("keeps the last matching line when a directory line and a later name line both match", () => {
    const owners = parseCodeowners("/src/ @src\n*.ts @ts\n/src/gen/ @gen\n");
    expect(owners.ownersOfAll(["src/a.ts", "src/a.md", "src/gen/b.ts", "lib/c.ts", "top.ts"])).toEqual([
      ["@ts"],
      ["@src"],
      ["@gen"],
      ["@ts"],
      ["@ts"],
    ]);
  });
});

describe("globs", () => {
  it("pre-checks only literals every match contains", () => {
    expect(requiredLiterals("gitops/envs/*/orders/**")).toEqual(["gitops/envs", "orders"]);
    expect(requiredLiterals("src/{a,b}/x.ts")).toEqual(["src"]);
    expect(requiredLiterals("**")).toEqual([]);
  });

  it("reads the literal every match starts with from the regular expression, or none", () => {
    const lead = (glob: string) => leadingLiteral(picomatch.makeRe(glob, { dot: true }));
    expect(lead("gitops/envs/dev/**")).toBe("gitops/envs/dev");
    expect(lead("x-y.z/**")).toBe("x-y.z");
    expect(lead("src/{a,b}/x.ts")).toBe("src/");
    expect(lead("**/x")).toBe("");
    expect(leadingLiteral(/^(?:ab|cd)$/)).toBe("");
    expect(leadingLiteral(/^(?:ab?c)$/)).toBe("a");
  });

  it("matches exactly as picomatch does, pre-checks included", () => {
    const part = fc.constantFrom(
      "a",
      "b",
      "ab",
      "x.ts",
      ".git",
      "*",
      "**",
      "?",
      "{a,b}",
      "a*",
      "+(a|b)",
      "a-b",
    );
    const glob = fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join("/"));
    const path = fc
      .array(fc.constantFrom("a", "b", "ab", "aab", "x.ts", ".git", "a-b", "", "."), {
        minLength: 1,
        maxLength: 5,
      })
      .map((p) => p.join("/"));
    fc.assert(
      fc.property(
        fc.array(glob, { minLength: 1, maxLength: 3 }),
        fc.array(path, { maxLength: 8 }),
        (globs, paths) => {
          const matcher = compileGlobs(globs);
          for (const p of paths) {
            expect(matcher(p), `${globs.join(" ")} on ${p}`).toBe(
              globs.some((g) => picomatch.makeRe(g, { dot: true }).test(p)),
            );
          }
        },
      ),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 500 },
    );
  });

  it.each([
    [["a/**"], "a", true],
    [["a/**"], "a/b/c", true],
    [["src/{a,b}/x.ts"], "src/b/x.ts", true],
    [["src/{a,b}/x.ts"], "src/c/x.ts", false],
    [["**/*.md", "docs/**"], "docs/x.txt", true],
    [["**/*.md", "docs/**"], "src/x.ts", false],
    [[".github/**", "**/*.yaml"], ".github/CODEOWNERS", true],
  ])("%j matches %s: %s", (patterns, path, expected) => {
    expect(compileGlobs(patterns)(path)).toBe(expected);
  });
});
