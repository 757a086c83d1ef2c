import type { Command } from "../command.ts";
import { costDiff, costEstimate } from "./cost.ts";
import { envCheck } from "./env.ts";
import { glossaryCheck } from "./glossary-check.ts";
import { planReview } from "./plan-review.ts";
import { policyEval } from "./policy-eval.ts";
import { rulesCheck, rulesList } from "./rules.ts";
import { version } from "./version.ts";

/** Every subcommand `sluice` offers; `sluice --help` lists them in this order. */
export const commands: readonly Command[] = [
  costDiff,
  costEstimate,
  envCheck,
  glossaryCheck,
  planReview,
  policyEval,
  rulesCheck,
  rulesList,
  version,
];
