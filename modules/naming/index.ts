export { Namer, type NamerProps, type NameTarget, NamingError } from "./namer.ts";
export { NamingAspect, type NamingAspectProps, NamingViolationError } from "./naming-aspect.ts";
export { repositoryGlossary } from "./repository-glossary.ts";
