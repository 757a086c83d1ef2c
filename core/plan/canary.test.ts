import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeWithSharedFixtures, sharedFixturesDir } from "../test/shared-fixtures.ts";
import { parsePlan } from "./parse.ts";
import { renderJson } from "./render/json.ts";
import { renderMarkdown } from "./render/markdown.ts";
import { renderText } from "./render/text.ts";
import { reviewPlan } from "./review.ts";
import { planObject } from "./test/plans.ts";

/**
 * Canary values placed everywhere terraform marks something sensitive (and in the sections Sluice must
 * never read) must not appear in any output format or error message.
 */

const FIXTURES = sharedFixturesDir("plans");

let counter = 0;
const canaries: string[] = [];
function canary(): string {
  const value = `CANARY-${++counter}-s3cr3t`;
  canaries.push(value);
  return value;
}

/** Replaces every part of `value` that `marks` flags with a fresh canary. */
function plant(value: unknown, marks: unknown): unknown {
  if (marks === true) return canary();
  if (Array.isArray(marks)) {
    const list = Array.isArray(value) ? value : [];
    return marks.map((m, i) => plant(list[i], m));
  }
  if (typeof marks === "object" && marks !== null) {
    const record =
      typeof value === "object" && value !== null ? { ...(value as Record<string, unknown>) } : {};
    for (const [key, m] of Object.entries(marks)) record[key] = plant(record[key], m);
    return record;
  }
  return value;
}

type Json = Record<string, unknown>;

function plantChange(entry: Json): void {
  const change = entry.change as Json;
  // Terraform hides a value on both sides when either side marks it: plant by both sets of marks.
  if (change.before !== null)
    change.before = plant(plant(change.before, change.before_sensitive), change.after_sensitive);
  if (change.after !== null) change.after = plant(change.after, change.after_sensitive);
}

function plantModule(module: unknown): void {
  if (typeof module !== "object" || module === null) return;
  const m = module as Json;
  for (const resource of (m.resources as Json[] | undefined) ?? []) {
    if (typeof resource.values !== "object" || resource.values === null) continue;
    resource.values = plant(resource.values, resource.sensitive_values ?? {});
    // Sluice must never read these sections at all.
    (resource.values as Json).sluice_canary = canary();
  }
  for (const child of (m.child_modules as unknown[] | undefined) ?? []) plantModule(child);
}

/** Plants canaries in every sensitive location of a plan, plus a few extra sensitive attributes. */
function plantAll(plan: Json): Json {
  for (const entry of [
    ...((plan.resource_changes as Json[]) ?? []),
    ...((plan.resource_drift as Json[]) ?? []),
  ]) {
    const change = entry.change as Json;
    // Extra: a sensitive attribute on both sides, nested in a map and a list.
    if (change.after && typeof change.after === "object") {
      change.after_sensitive = {
        ...((change.after_sensitive as Json) || {}),
        sluice_nested: { token: true },
        sluice_list: [false, true],
      };
      (change.after as Json).sluice_nested = {};
      (change.after as Json).sluice_list = ["visible", null];
    }
    if (change.before && typeof change.before === "object") {
      change.before_sensitive = { ...((change.before_sensitive as Json) || {}), sluice_whole: true };
    }
    plantChange(entry);
  }
  for (const output of Object.values((plan.output_changes as Record<string, Json>) ?? {})) {
    if (output.before_sensitive === true || output.after_sensitive === true) {
      output.before = output.before === null ? null : canary();
      output.after = canary();
    }
  }
  // Every plan gets at least this one: a variable's plaintext, which Sluice must never read.
  plan.variables = { ...((plan.variables as Record<string, Json>) ?? {}), sluice_canary: { value: "" } };
  for (const variable of Object.values(plan.variables as Record<string, Json>)) variable.value = canary();
  const planned = plan.planned_values as Json | undefined;
  plantModule(planned?.root_module);
  for (const output of Object.values((planned?.outputs as Record<string, Json>) ?? {})) {
    if (output.sensitive) output.value = canary();
  }
  const prior = (plan.prior_state as Json | undefined)?.values as Json | undefined;
  plantModule(prior?.root_module);
  for (const output of Object.values((prior?.outputs as Record<string, Json>) ?? {})) {
    if (output.sensitive) output.value = canary();
  }
  return plan;
}

function expectNoCanary(text: string): void {
  for (const c of canaries) expect(text).not.toContain(c);
  expect(text).not.toMatch(/CANARY-\d+/);
}

function expectAllFormatsClean(plan: Json, name: string): void {
  expect(JSON.stringify(plan)).toMatch(/CANARY-\d+/);
  const review = reviewPlan(parsePlan(JSON.stringify(plan), name));
  expectNoCanary(renderMarkdown(review));
  expectNoCanary(renderJson(review));
  expectNoCanary(renderText(review, { color: true }));
  expectNoCanary(renderText(review, { color: false }));
  expectNoCanary(JSON.stringify(review.findings));
}

describe("canary secrets never reach any output", () => {
  it("in a hand-made plan: whole-value and nested markers, outputs, variables, state sections", () => {
    const plan = planObject([
      {
        type: "aws_db_instance",
        name: "db",
        actions: ["update"],
        before: { password: "x", endpoint: "db.internal" },
        after: { password: "y", endpoint: "db.internal" },
        beforeSensitive: { password: true },
        afterSensitive: { password: true },
      },
      {
        type: "aws_ssm_parameter",
        name: "whole",
        actions: ["create"],
        after: { value: "v" },
        afterSensitive: true,
      },
      {
        type: "aws_instance",
        name: "gone",
        actions: ["delete"],
        before: { user_data: "u" },
        beforeSensitive: true,
      },
    ]) as Json;
    plan.output_changes = {
      secret: { actions: ["create"], before: null, after: "z", after_sensitive: true },
    };
    plan.variables = { db_password: { value: "v" } };
    plan.planned_values = {
      root_module: { resources: [{ address: "a.b", values: { password: "p" }, sensitive_values: {} }] },
    };
    expectAllFormatsClean(plantAll(plan), "hand-made");
  });

  it("in error messages about broken input", () => {
    const text = JSON.stringify(
      plantAll(planObject([{ actions: ["create"], after: { a: 1 }, afterSensitive: { a: true } }]) as Json),
    );
    const at = text.indexOf("CANARY");
    for (const broken of [
      text.slice(0, at + 12),
      `${text.slice(0, at + 12)}\u0001${text.slice(at + 12)}`,
      `noise ${text} {`,
    ]) {
      try {
        parsePlan(broken, "plan.json");
        expect.unreachable();
      } catch (error) {
        expectNoCanary((error as Error).message);
      }
    }
  });

  describeWithSharedFixtures("plans", "in every real plan of ../shared/fixtures/plans", () => {
    const files = existsSync(FIXTURES)
      ? readdirSync(FIXTURES)
          .filter((f) => f.endsWith(".json"))
          .sort()
      : [];
    it.each(files)("%s", (file) => {
      const plan = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as Json;
      expectAllFormatsClean(plantAll(plan), file);
    });
  });
});
