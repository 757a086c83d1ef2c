import { describe, expect, it } from "vitest";
import { isCoAuthor, parseCoAuthors } from "./trailers.ts";

describe("parseCoAuthors", () => {
  it("reads a trailer however it is spaced", () => {
    expect(
      parseCoAuthors(
        [
          "  Co-authored-by: Ann <ann@corp.example>",
          "co-authored-by:Bea <bea@corp.example>",
          "CO-AUTHORED-BY: Cy<cy@corp.example>  ",
        ].join("\n"),
      ),
    ).toEqual([
      { name: "Ann", email: "ann@corp.example" },
      { name: "Bea", email: "bea@corp.example" },
      { name: "Cy", email: "cy@corp.example" },
    ]);
  });

  it("reads only whole trailer lines", () => {
    expect(
      parseCoAuthors(
        "Not a Co-authored-by: Ann <ann@corp.example>\nCo-authored-by: Bea <bea@corp.example> and more",
      ),
    ).toEqual([]);
  });

  it("resolves a GitHub no-reply address to its login, and nothing that only contains one", () => {
    expect(
      parseCoAuthors(
        [
          "Co-authored-by: A <12345+alice@users.noreply.github.com>",
          "Co-authored-by: B <bob@users.noreply.github.com.evil.example>",
          "Co-authored-by: C <carol@dave@users.noreply.github.com>",
        ].join("\r\n"),
      ),
    ).toEqual([
      { name: "A", email: "12345+alice@users.noreply.github.com", login: "alice" },
      { name: "B", email: "bob@users.noreply.github.com.evil.example" },
      { name: "C", email: "carol@dave@users.noreply.github.com" },
    ]);
  });
});

describe("isCoAuthor", () => {
  it("compares a resolved co-author by login only", () => {
    const resolved = { name: "bob", email: "bob@corp.example", login: "Alice" };
    expect(isCoAuthor(resolved, "ALICE")).toBe(true);
    expect(isCoAuthor(resolved, "bob")).toBe(false);
  });

  it("takes an unresolved co-author for anyone whose login is the name or the address's local part", () => {
    const unresolved = { name: "Ann", email: "Zoe@corp.example" };
    expect(isCoAuthor(unresolved, "ANN")).toBe(true);
    expect(isCoAuthor(unresolved, "zoe")).toBe(true);
    expect(isCoAuthor(unresolved, "corp.example")).toBe(false);
    expect(isCoAuthor(unresolved, "bob")).toBe(false);
  });
});
