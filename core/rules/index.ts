import { alarmRules } from "./alarms.ts";
import { clusterRules } from "./cluster.ts";
import { databaseRules } from "./database.ts";
import { gitopsRules } from "./gitops.ts";
import { iamRules } from "./iam.ts";
import { identityRules } from "./identity.ts";
import { logRules } from "./logs.ts";
import { networkRules } from "./network.ts";
import { queueRules } from "./queues.ts";
import { registryRules } from "./registry.ts";
import { stateRules } from "./state.ts";
import type { Rule } from "./types.ts";

/**
 * The secure-default rule set. Each area adds its rules from its own file
 * (core/rules/<area>.ts), exported as an array and spread here.
 */
export const secureDefaultRules: readonly Rule[] = [
  ...networkRules,
  ...clusterRules,
  ...gitopsRules,
  ...databaseRules,
  ...queueRules,
  ...identityRules,
  ...alarmRules,
  ...stateRules,
  ...registryRules,
  ...iamRules,
  ...logRules,
];
