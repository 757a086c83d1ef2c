import type { Command } from "../command.ts";
import { applyReport } from "./apply-report.ts";
import { auditExport, auditVerify } from "./audit.ts";
import { envCheck } from "./env.ts";
import { gate } from "./gate.ts";
import { glossaryCheck } from "./glossary-check.ts";
import { planReview } from "./plan-review.ts";
import { planUpload } from "./plan-upload.ts";
import { policyEval } from "./policy-eval.ts";
import { rulesCheck, rulesList } from "./rules.ts";
import { version } from "./version.ts";

/** Every subcommand `sluice` offers; `sluice --help` lists them in this order. */
export const commands: readonly Command[] = [
  applyReport,
  auditExport,
  auditVerify,
  envCheck,
  gate,
  glossaryCheck,
  planReview,
  planUpload,
  policyEval,
  rulesCheck,
  rulesList,
  version,
];
