import { describe, expect, it } from "vitest";
import { GlossaryError, parseGlossary } from "./parse.ts";
import { FIXTURE_GLOSSARY } from "./test/fixture-glossary.ts";

const KINDS = ["environment", "tenant", "team", "component", "resource", "qualifier", "technology"];

/** The fixture with its `app` term given another kind. */
const withAppKind = (kind: string) =>
  parseGlossary(FIXTURE_GLOSSARY.replace("| app | — | qualifier |", `| app | — | ${kind} |`), "g.md");

describe("term kinds", () => {
  it.each(KINDS)("accepts a term of kind %s", (kind) => {
    expect(withAppKind(kind).tokens.get("app")?.kind).toBe(kind);
  });

  it("rejects any other kind, listing the kinds there are", () => {
    expect(() => withAppKind("gadget")).toThrow(GlossaryError);
    expect(() => withAppKind("gadget")).toThrow(
      "term 'app' has kind 'gadget'; expected one of environment, tenant, team, component, resource, qualifier, technology",
    );
  });
});
