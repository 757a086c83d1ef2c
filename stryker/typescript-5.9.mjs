// Imported by run.mjs, in Stryker's main process only. The `typescript` package of this repository is
// TypeScript 7, whose JavaScript API lacks what Stryker's core imports `typescript` for (its tsconfig rewriting
// in the sandbox). This hook hands Stryker, and only Stryker, TypeScript 5.9 from the `typescript-5.9` alias in
// devDependencies. The rest keeps TypeScript 7.
import { register } from "node:module";

register("./typescript-5.9-hooks.mjs", import.meta.url);
