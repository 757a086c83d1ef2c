import { describe, expect, it } from "vitest";
import { diffDigest } from "./diff-digest.ts";

const file = (patch: string, filename = "services/api/main.ts") => ({ filename, status: "modified", patch });

describe("diffDigest", () => {
  const before = [
    file("@@ -10,6 +10,7 @@ export function main() {\n   const a = 1;\n+  const b = 2;\n   return a;"),
    file("@@ -1 +1 @@\n-x\n+y", "README.md"),
  ];

  it("is unchanged by a rebase: hunks moved (line numbers), files listed in another order, whitespace", () => {
    const rebased = [
      file("@@ -1 +1 @@\n-x\n+y", "README.md"),
      file("@@ -42,6 +42,7 @@ export function main() {\n   const a = 1;\n+  const b  = 2;\n   return a;"),
    ];
    expect(diffDigest(rebased)).toBe(diffDigest(before));
  });

  it("changes when a line of the change changes, a file is added, or a binary file's blob changes", () => {
    const edited = [
      file("@@ -10,6 +10,7 @@ export function main() {\n   const a = 1;\n+  const b = 3;\n   return a;"),
      before[1] as ReturnType<typeof file>,
    ];
    expect(diffDigest(edited)).not.toBe(diffDigest(before));
    expect(diffDigest([...before, file("@@ -0,0 +1 @@\n+new", "docs/new.md")])).not.toBe(diffDigest(before));
    const blob = (sha: string) => [{ filename: "logo.png", status: "modified", sha }];
    expect(diffDigest(blob("aaa"))).not.toBe(diffDigest(blob("bbb")));
  });
});
