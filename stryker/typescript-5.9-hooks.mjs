// Resolve hook registered by typescript-5.9.mjs: `typescript` imported by Stryker (the core's tsconfig rewriting
// in the sandbox) resolves to the `typescript-5.9` alias (TypeScript 5.9.3); every other import resolves as usual.
const STRYKER = "/@stryker-mutator/";

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "typescript" && context.parentURL?.includes(STRYKER)) {
    return nextResolve(process.env.STRYKER_CHECKER_TYPESCRIPT ?? "typescript-5.9", context);
  }
  return nextResolve(specifier, context);
}
