import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GlossaryError, parseGlossary } from "./parse.ts";
import { FIXTURE_GLOSSARY, parseFixtureGlossary } from "./test/fixture-glossary.ts";

function problemsOf(text: string): string[] {
  try {
    parseGlossary(text, "g.md");
  } catch (error) {
    if (error instanceof GlossaryError) return error.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    throw error;
  }
  return [];
}

/** The fixture with one more row appended to its term table (after line 8). */
function withRow(row: string): string {
  const lines = FIXTURE_GLOSSARY.split("\n");
  lines.splice(8, 0, row);
  return lines.join("\n");
}

describe("parseGlossary", () => {
  it("reads owners, terms, short forms, kinds, synonyms with scope, and external names", () => {
    const g = parseFixtureGlossary();
    expect(g.owners).toEqual(["@org/platform", "@org/security"]);
    expect(g.tokens.get("repo")?.term).toBe("repository");
    expect(g.tokens.get("acme")?.kind).toBe("tenant");
    expect(g.synonyms.get("production")).toMatchObject({ term: { term: "prod" }, scope: "everywhere" });
    expect(g.synonyms.get("live")).toMatchObject({ term: { term: "prod" }, scope: "names" });
    expect(g.external.has("kube-system")).toBe(true);
    expect(g.tokens.get("dev")?.line).toBe(7);
  });

  it("accepts the repository's own glossary.md and it holds the seed vocabulary", () => {
    const g = parseGlossary(readFileSync(new URL("../../glossary.md", import.meta.url), "utf8"));
    const seed =
      "dev staging prod vpc subnet public app data nat igw flow log logs endpoint s3 eks cluster node nodes group addon kms key secrets db rds postgres params sqs queue dlq cognito users pool client web api admin ecr repo state tfstate alarms sns topic chat cpu storage gitops argocd ci github oidc plan apply role policy sg access lb platform network ebs csi pod identity cni coredns proxy tenant events orders audit webhook sluice bootstrap backend team monitoring";
    expect(seed.split(" ").filter((t) => !g.tokens.has(t))).toEqual([]);
    expect(g.synonyms.get("production")?.term.term).toBe("prod");
    expect(g.synonyms.get("k8s")?.term.term).toBe("eks");
    expect(g.synonyms.get("database")?.term.term).toBe("db");
    expect(g.owners.length).toBeGreaterThan(0);
  });

  it("rejects a duplicate term with file:line and the earlier line", () => {
    expect(problemsOf(withRow("| db | — | resource | Again. | @org/platform | — |"))).toEqual([
      "g.md:13: duplicate term 'db' (already declared at line 9)",
    ]);
  });

  it("rejects a short form used twice", () => {
    expect(problemsOf(withRow("| report | repo | resource | A report. | @org/platform | — |"))).toEqual([
      "g.md:18: short form 'repo' of 'repository' is already used at line 9",
    ]);
  });

  it("rejects a synonym that is also a term", () => {
    expect(problemsOf(withRow("| data | — | qualifier | Data. | @org/platform | db |"))).toEqual([
      "g.md:9: deprecated synonym 'db' of 'data' is also a term or short form (line 13)",
    ]);
  });

  it("rejects a synonym listed for two terms", () => {
    const problems = problemsOf(withRow("| stage | — | environment | Staging. | @org/platform | prd |"));
    expect(problems).toEqual([
      expect.stringMatching(/^g\.md:9: deprecated synonym 'prd' is listed for both/),
    ]);
  });

  it("rejects a broken table row, an unknown kind and a multi-token term, all at once", () => {
    const text = withRow("| web | — | resource | too | few |")
      .replace("| app | — | qualifier |", "| app | — | gadget |")
      .replace("| orders |", "| order-list |");
    const problems = problemsOf(text);
    expect(problems).toContain(
      "g.md:9: table row has 5 cells, expected 6 (term | short form | kind | definition | owner | deprecated synonyms)",
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^g\.md:10: term 'app' has kind 'gadget'; expected one of/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^g\.md:11: term 'order-list' must be one lowercase token/),
    );
  });

  it("rejects a missing Owners line and a missing separator row", () => {
    const text = FIXTURE_GLOSSARY.replace("Owners: @org/platform, @org/security\n", "").replace(
      "|---|---|---|---|---|---|\n",
      "",
    );
    const problems = problemsOf(text);
    expect(problems).toContainEqual(expect.stringMatching(/^g\.md:1: no 'Owners:' line/));
    expect(problems).toContainEqual(
      expect.stringMatching(/^g\.md:5: table header is not followed by a separator/),
    );
  });

  it("rejects a term table it would otherwise skip: a changed header, rows split off by a blank line", () => {
    const renamed = FIXTURE_GLOSSARY.replace("| Deprecated synonyms |", "| Deprecated |");
    expect(problemsOf(renamed)).toContainEqual(
      expect.stringMatching(/^g\.md:5: glossary table header must be exactly \| term \| short form/),
    );
    const split = FIXTURE_GLOSSARY.replace("| app |", "\n| app |");
    expect(problemsOf(split)).toEqual([
      "g.md:10: table rows without a header and '|---|' separator row (a blank line inside a table cuts it in two)",
    ]);
    const unpiped = FIXTURE_GLOSSARY.replace("| app |", "app |");
    expect(problemsOf(unpiped)).toContainEqual(
      "g.md:9: table row must start with '|'; the table above ends on the line before",
    );
  });

  it.each([
    ["a misspelt first column", "| Term | Short form |", "| Trem | Short form |"],
    ["a misspelt column", "| Kind | Definition |", "| Knd | Definiton |"],
    ["a plural first column", "| Term | Short form |", "| Terms | Short form |"],
    [
      "a misspelt external-names header",
      "| External name | Owner | Why |",
      "| Extrenal name | Owner | Why |",
    ],
  ])("a table whose header has %s is a malformed glossary, not silently dropped", (_what, from, to) => {
    const text = FIXTURE_GLOSSARY.replace(from, to);
    expect(text).not.toBe(FIXTURE_GLOSSARY);
    expect(() => parseGlossary(text, "g.md")).toThrow(/^glossary is malformed:/);
    expect(problemsOf(text)).toContainEqual(
      expect.stringMatching(/^g\.md:\d+: glossary table header must be exactly \| (term|external name) \|/),
    );
  });

  it("leaves other tables alone", () => {
    const text = `${FIXTURE_GLOSSARY}\n| Team | Lead |\n|---|---|\n| platform | @a |\n`;
    expect(problemsOf(text)).toEqual([]);
  });

  it("rejects a document with no term table", () => {
    expect(problemsOf("# Glossary\n\nOwners: @a\n")).toEqual([
      expect.stringMatching(/^g\.md:1: no term table/),
    ]);
  });
});
