#!/usr/bin/env node
// Entry point for `npx sluice`: loads the TypeScript sources through tsx, so no build step is needed.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../main.ts", import.meta.url);
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  },
});
