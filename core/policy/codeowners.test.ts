import { describe, expect, it } from "vitest";
import { parseCodeowners } from "./codeowners.ts";
import { compileGlobs, requiredLiterals } from "./globs.ts";

const owners = parseCodeowners(`# comment
*               @org/all
*.tf            @tf-owner   # trailing comment
build/          @builder
/docs/          @docs
apps/api        @api
/notes/*        @notes
!negated        @nobody
`);

describe("CODEOWNERS", () => {
  it.each([
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
  ])("%s is owned by %j (the last matching line wins)", (path, expected) => {
    expect(owners.ownersOf(path)).toEqual(expected);
  });

  it("reports lines GitHub would ignore", () => {
    expect(owners.warnings).toEqual([
      "CODEOWNERS line 8: '!negated' uses syntax GitHub does not support; ignored",
    ]);
  });

  it("has no owner for a path no line matches", () => {
    expect(parseCodeowners("/docs/ @docs\n").ownersOf("src/a.ts")).toBeUndefined();
  });
});

describe("globs", () => {
  it("pre-checks only literals every match contains", () => {
    expect(requiredLiterals("gitops/envs/*/orders/**")).toEqual(["gitops/envs", "orders"]);
    expect(requiredLiterals("src/{a,b}/x.ts")).toEqual(["src"]);
    expect(requiredLiterals("**")).toEqual([]);
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
