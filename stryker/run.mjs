// `npm run mutation` starts Stryker through this file, for three reasons.
//
// 1. TypeScript: the `typescript` package here is TypeScript 7, whose JavaScript API has no
//    `parseConfigFileTextToJson`; Stryker's core imports `typescript` for it, to rewrite the tsconfig in its
//    sandbox. typescript-5.9.mjs gives this process, and only Stryker's imports in it, TypeScript 5.9 (the
//    `typescript-5.9` alias in devDependencies). Worker processes do not load the hook: the checker
//    (tsgo-checker.mjs) uses TypeScript 7, and a hook in every test worker slowed each module load.
// 2. Node.js: StrykerJS 10 declares Node.js >= 22 and its CLI refuses to start on the Node.js 20 this repository
//    supports (package.json engines, CI), although 10.1.1 uses no API newer than Node.js 20 (no
//    Promise.withResolvers, Array.fromAsync, Object.groupBy, fs.glob). The CLI checks process.version once,
//    while it loads; it sees 22 during that load only.
// 3. The shared fixtures (../shared) are out of the sandbox's reach (.stryker-tmp/sandbox-*/), so the tests over
//    them report NOT RUN, as outside CI, instead of failing as they must under CI=true: mutation scores come
//    from the unit and property tests (docs/testing.md).
// 4. The incremental file is rewritten in a stable form at exit (normalize-incremental.mjs), so that a run which
//    changed nothing leaves the committed file as it is.

import config from "../stryker.config.mjs";
import { normalizeIncrementalFile } from "./normalize-incremental.mjs";

delete process.env.CI;

const flag = process.argv.findIndex((a) => a === "--incrementalFile" || a.startsWith("--incrementalFile="));
const option = process.argv[flag] ?? "";
const incrementalFile =
  flag < 0
    ? config.incrementalFile
    : option.includes("=")
      ? option.slice(option.indexOf("=") + 1)
      : process.argv[flag + 1];
process.on("exit", () => normalizeIncrementalFile(incrementalFile));

await import("./typescript-5.9.mjs");

const real = process.version;
if (Number(real.slice(1).split(".")[0]) < 22) {
  Object.defineProperty(process, "version", { value: "v22.0.0", configurable: true });
}
const { StrykerCli } = await import("@stryker-mutator/core");
Object.defineProperty(process, "version", { value: real, configurable: true });
process.title = "stryker";
new StrykerCli(process.argv).run();
