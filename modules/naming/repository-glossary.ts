import { readFileSync } from "node:fs";
import { NameChecker } from "../../core/glossary/check.ts";
import type { Glossary } from "../../core/glossary/glossary.ts";
import { parseGlossary } from "../../core/glossary/parse.ts";

const GLOSSARY_URL = new URL("../../glossary.md", import.meta.url);
let cached: Glossary | undefined;
const checkers = new WeakMap<Glossary, NameChecker>();

/** The repository's glossary.md, read and parsed once per process. Throws GlossaryError if malformed. */
export function repositoryGlossary(): Glossary {
  cached ??= parseGlossary(readFileSync(GLOSSARY_URL, "utf8"), "glossary.md");
  return cached;
}

/** One NameChecker per glossary, so its per-token cache is shared by every Namer and Aspect. */
export function checkerFor(glossary: Glossary): NameChecker {
  let checker = checkers.get(glossary);
  if (!checker) {
    checker = new NameChecker(glossary);
    checkers.set(glossary, checker);
  }
  return checker;
}
