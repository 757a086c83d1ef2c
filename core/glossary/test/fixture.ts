import type { Glossary } from "../glossary.ts";
import { parseFixtureGlossary } from "./fixture-glossary.ts";

export { FIXTURE_GLOSSARY } from "./fixture-glossary.ts";

/**
 * The fixture glossary parsed once, for tests outside the mutation test set (modules/naming). Tests of
 * core/glossary import fixture-glossary.ts and call parseFixtureGlossary() inside each test instead.
 */
export const fixtureGlossary: Glossary = parseFixtureGlossary();
