import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TERM_KINDS } from "./glossary.ts";
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
      "g.md:1: no term table; expected a table with header | term | short form | kind | definition | owner | deprecated synonyms |",
    ]);
  });
});

/** The fixture with lines appended right after its external-names table, and the line number of the first. */
function withExternalRows(rows: string): { text: string; first: number } {
  return { text: `${FIXTURE_GLOSSARY}${rows}\n`, first: FIXTURE_GLOSSARY.split("\n").length };
}

describe("parseGlossary: problems are reported whole", () => {
  it("throws a GlossaryError listing every problem as file:line, with glossary.md as the default file", () => {
    const text = FIXTURE_GLOSSARY.replace("Owners: @org/platform, @org/security\n", "").replace(
      "| app | — | qualifier |",
      "| app | — | gadget |",
    );
    let error: unknown;
    try {
      parseGlossary(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GlossaryError);
    expect((error as Error).name).toBe("GlossaryError");
    expect((error as Error).message).toBe(
      [
        "glossary is malformed:",
        "  glossary.md:1: no 'Owners:' line; expected one like 'Owners: @org/platform, @org/security'",
        `  glossary.md:8: term 'app' has kind 'gadget'; expected one of ${TERM_KINDS.join(", ")}`,
      ].join("\n"),
    );
  });

  it("names each problem of a term row: definition, owner, short form, synonym", () => {
    const rows = [
      "| alpha | — | resource |  | @org/platform | — |",
      "| beta | — | resource | B. |  | — |",
      "| gamma | G-1 | resource | G. | @org/platform | — |",
      "| delta | delta | resource | D. | @org/platform | — |",
      "| epsilon | — | resource | E. | @org/platform | eps, ep silon |",
    ];
    expect(problemsOf(withRow(rows.join("\n")))).toEqual([
      "g.md:9: term 'alpha' has no definition",
      "g.md:10: term 'beta' has no owner",
      "g.md:11: short form 'G-1' of 'gamma' must be one lowercase token",
      "g.md:12: short form of 'delta' repeats the term; write '—' for none",
      "g.md:12: short form 'delta' of 'delta' is already used at line 12",
      "g.md:13: deprecated synonym 'ep silon' of 'epsilon' must be one lowercase token",
    ]);
  });

  it("names each problem of an external name: its spelling, a duplicate, a missing owner", () => {
    const { text, first } = withExternalRows(
      [
        "| Kube System | @org/platform | Spaces. |",
        "| -lead | @org/platform | Leading dash. |",
        "| kube-system | @org/platform | Again. |",
        "| ok.name_1/x |  | No owner. |",
      ].join("\n"),
    );
    expect(problemsOf(text)).toEqual([
      `g.md:${first}: external name 'Kube System' must be lowercase letters, digits, '-', '.', '_' or '/'`,
      `g.md:${first + 1}: external name '-lead' must be lowercase letters, digits, '-', '.', '_' or '/'`,
      `g.md:${first + 2}: duplicate external name 'kube-system'`,
      `g.md:${first + 3}: external name 'ok.name_1/x' has no owner`,
    ]);
  });
});

describe("parseGlossary: the Owners line", () => {
  const withOwners = (line: string) => FIXTURE_GLOSSARY.replace("Owners: @org/platform, @org/security", line);

  it("reads owners with or without spaces, in code or bold, and skips empty items", () => {
    for (const line of [
      "Owners:@org/platform,@org/security",
      "**Owners:** `@org/platform`, , @org/security,",
      "  owners : @org/platform ,@org/security",
    ]) {
      expect(parseGlossary(withOwners(line), "g.md").owners, line).toEqual([
        "@org/platform",
        "@org/security",
      ]);
    }
  });

  it("rejects an Owners line that lists nobody, and a second one", () => {
    expect(problemsOf(withOwners("Owners: , ``"))).toEqual([
      "g.md:3: 'Owners:' lists nobody; expected e.g. 'Owners: @org/team'",
    ]);
    const { text, first } = withExternalRows("\nOwners: @org/other");
    expect(problemsOf(text)).toEqual([
      `g.md:${first + 1}: a second 'Owners:' line; the glossary has exactly one`,
    ]);
  });

  it("is a line of its own: prose that mentions owners is not one, and a stray carriage return is not half-read", () => {
    const prose = [
      "CODEOWNERS: .github/CODEOWNERS names the rest.",
      "Ownership: the platform team.",
      "Ask the owners: #platform.",
      "Owners list: see above.",
    ].join("\n");
    const g = parseGlossary(
      FIXTURE_GLOSSARY.replace("# Test glossary\n", `# Test glossary\n${prose}\n`),
      "g.md",
    );
    expect(g.owners).toEqual(["@org/platform", "@org/security"]);
    expect(() => parseGlossary(withOwners("Owners: @org/platform\r@org/security"), "g.md")).toThrow(
      GlossaryError,
    );
  });
});

describe("parseGlossary: cells and tables", () => {
  it("reads '', '-', '—', '–', 'n/a' and 'none' (any case) as no short form and no synonyms", () => {
    const none = ["", "-", "—", "–", "n/a", "None", "N/A"];
    const rows = none.map(
      (cell, i) => `| term${"abcdefg"[i]} | ${cell} | resource | T. | @org/platform | ${cell} |`,
    );
    const g = parseGlossary(withRow(rows.join("\n")), "g.md");
    for (const [i, cell] of none.entries()) {
      const term = g.tokens.get(`term${"abcdefg"[i]}`);
      expect(term, cell).toBeDefined();
      expect(term?.shortForm, cell).toBeUndefined();
      expect(term?.synonyms, cell).toEqual([]);
    }
  });

  it("takes '(names only)' only at the end of a synonym, with or without a space before it", () => {
    const g = parseGlossary(
      withRow("| alpha | — | resource | A. | @org/platform | al(names only), alf |"),
      "g.md",
    );
    expect(g.synonyms.get("al")?.scope).toBe("names");
    expect(g.synonyms.get("alf")?.scope).toBe("everywhere");
    for (const synonym of ["(names only) al", "al (names only)."]) {
      expect(problemsOf(withRow(`| alpha | — | resource | A. | @org/platform | ${synonym} |`))).toEqual([
        `g.md:9: deprecated synonym '${synonym}' of 'alpha' must be one lowercase token`,
      ]);
    }
  });

  it("names the header's own line when the file ends right after it", () => {
    const header = "| Term | Short form | Kind | Definition | Owner | Deprecated synonyms |";
    const text = `# Glossary\n\n**Owners:** @platform\n\n${header}`;
    const separator = (t: string) => problemsOf(t).filter((p) => p.includes("separator row like"));
    const message = "table header is not followed by a separator row like '|---|---|'";
    expect(separator(text)).toEqual([`g.md:5: ${message}`]);
    expect(separator(`${text}\n`)).toEqual([`g.md:5: ${message}`]);
    expect(separator(`${text}\n\n`)).toEqual([`g.md:6: ${message}`]);
    // A last line that is there, and is not a separator, is where the separator was expected.
    expect(separator(`${text}\n| ingress | ing |`)).toEqual([`g.md:6: ${message}`]);
  });

  it("takes a separator row with or without outer pipes, and nothing else for one", () => {
    const unpiped = FIXTURE_GLOSSARY.replace(
      "|---|---|---|---|---|---|",
      " :--- | --- | ---: | --- | --- | ---",
    );
    expect(unpiped).not.toBe(FIXTURE_GLOSSARY);
    expect(problemsOf(unpiped)).toEqual([]);
    const missing = "g.md:6: table header is not followed by a separator row like '|---|---|'";
    expect(
      problemsOf(FIXTURE_GLOSSARY.replace("|---|---|---|---|---|---|", "|x---|---|---|---|---|---|")),
    ).toContain(missing);
    expect(
      problemsOf(
        FIXTURE_GLOSSARY.replace(
          "|---|---|---|---|---|---|",
          "| - | — | resource | A dash. | @org/platform | — |",
        ),
      ),
    ).toContain(missing);
  });
});

describe("parseGlossary: table layout", () => {
  const header = "| Term | Short form | Kind | Definition | Owner | Deprecated synonyms |";

  it("reads indented rows, rows without a closing pipe, escaped pipes, code spans and empty list items", () => {
    const text = withExternalRows("  | kube-public | @org/platform | pipe \\| here \\|").text.replace(
      "| eks | — | technology | Amazon EKS. | @org/platform | k8s, kubernetes (names only) |",
      "  | ` eks ` | — | technology | Amazon EKS. | @org/platform | k8s, , kubernetes (names only)",
    );
    const g = parseGlossary(text.trimEnd(), "g.md");
    expect(g.tokens.get("eks")?.synonyms.map((s) => s.synonym)).toEqual(["k8s", "kubernetes"]);
    expect(g.externalNames.find((e) => e.name === "kube-public")?.reason).toBe("pipe | here |");
    expect(g.tokens.get("repository")?.shortForm).toBe("repo");
    expect("shortForm" in (g.tokens.get("dev") ?? {})).toBe(false);
  });

  it("takes a code span only as a whole cell", () => {
    for (const cell of ["x`alpha`", "`alpha`x"]) {
      expect(problemsOf(withRow(`| ${cell} | — | resource | A. | @org/platform | — |`))).toEqual([
        `g.md:9: term '${cell}' must be one lowercase token of letters and digits, e.g. 'db'`,
      ]);
    }
  });

  it("reads the row right after a header without separator as a row, and reports both", () => {
    const text = FIXTURE_GLOSSARY.replace("|---|---|---|---|---|---|\n", "").replace(
      "| dev | — | environment |",
      "| dev | — | gadget |",
    );
    expect(problemsOf(text)).toEqual([
      "g.md:6: table header is not followed by a separator row like '|---|---|'",
      expect.stringMatching(/^g\.md:6: term 'dev' has kind 'gadget'/),
    ]);
  });

  it.each([
    ["missing a column", "| Term | Short form | Kind | Definition | Owner |"],
    ["with a first cell two edits from 'term'", "| Tarn | Shortform | Type | Meaning | Owners | Old names |"],
    ["with a first cell of 'term'", "| Term | Abbreviation |"],
    ["with two of its cells", "| Word | Kind | Owner |"],
  ])("calls a table header %s a malformed term header", (_what, changed) => {
    const text = FIXTURE_GLOSSARY.replace(header, changed);
    const got = changed.toLowerCase().slice(2, -2).split(" | ").join(" | ");
    expect(problemsOf(text)).toContain(
      `g.md:5: glossary table header must be exactly | term | short form | kind | definition | owner | deprecated synonyms | (case aside), got | ${got} |`,
    );
  });
});
