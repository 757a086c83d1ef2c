/** One parsed resource change from a hand-made spec, for tests of single-change rules. */
import { parsePlan } from "../../parse.ts";
import { type ChangeSpec, planText } from "../../test/plans.ts";
import type { ResourceChange } from "../../types.ts";

export function change(spec: ChangeSpec): ResourceChange {
  const [parsed] = parsePlan(planText([spec])).changes;
  if (parsed === undefined) throw new Error("the spec gave no change");
  return parsed;
}

/** The same, as a data source read. */
export function dataChange(spec: ChangeSpec): ResourceChange {
  return change({ ...spec, extra: { mode: "data", ...spec.extra } });
}
