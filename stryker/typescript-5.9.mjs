// Loaded with `node --import` (through NODE_OPTIONS, so Stryker's checker processes get it too).
// The `typescript` package of this repository is TypeScript 7, which has no JavaScript compiler API; Stryker
// (its TypeScript checker, and its tsconfig rewriting) imports `typescript` for that API. This hook hands Stryker,
// and only Stryker, TypeScript 5.9 from the `typescript-5.9` alias in devDependencies. The rest keeps TypeScript 7.
import { register } from "node:module";

register("./typescript-5.9-hooks.mjs", import.meta.url);
