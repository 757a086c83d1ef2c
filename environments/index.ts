import type { EnvironmentConfig } from "./config.ts";
import { dev } from "./dev.ts";
import { prod } from "./prod.ts";
import { staging } from "./staging.ts";

export type { EnvironmentConfig, EnvironmentName } from "./config.ts";

/** Every environment, with the file it is defined in (for error messages). */
export const environments: readonly { readonly file: string; readonly config: EnvironmentConfig }[] = [
  { file: "environments/dev.ts", config: dev },
  { file: "environments/staging.ts", config: staging },
  { file: "environments/prod.ts", config: prod },
];
