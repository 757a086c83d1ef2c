import type { SynthesizedStack } from "./types.ts";

const record = (value: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const envOfName = (name: string): string | undefined => /^([a-z0-9]+)(?:-|$)/i.exec(name)?.[1]?.toLowerCase();

/** The stack's name as cdktf recorded it in the synthesized JSON (`"//".metadata.stackName`), if any. */
export function recordedStackName(stack: SynthesizedStack): string | undefined {
  const name = record(record(stack.json["//"])?.metadata)?.stackName;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/**
 * The environments the stack's content says it is for: the `environment` default tag of its providers, the
 * first segment of its S3 backend key (`prod-platform/terraform.tfstate` → prod), and the stack name cdktf
 * recorded. Lowercase, without duplicates; empty when the content says nothing.
 */
export function environmentsInContent(stack: SynthesizedStack): string[] {
  const found = new Set<string>();
  for (const configs of Object.values(stack.json.provider ?? {})) {
    for (const config of list(configs)) {
      for (const block of list(record(config)?.default_tags)) {
        const tags = record(record(block)?.tags);
        for (const [key, value] of Object.entries(tags ?? {})) {
          if (key.toLowerCase() === "environment" && typeof value === "string" && value !== "")
            found.add(value.toLowerCase());
        }
      }
    }
  }
  const key = record(record(stack.json.terraform?.backend)?.s3)?.key;
  if (typeof key === "string") {
    const first = key.split("/")[0] ?? "";
    const env = key.includes("/") ? envOfName(first) : undefined;
    if (env) found.add(env);
  }
  const recorded = recordedStackName(stack);
  const env = recorded ? envOfName(recorded) : undefined;
  if (env) found.add(env);
  return [...found];
}

/**
 * The environment the rules hold a stack to, taken from its content rather than its folder name, so a prod
 * stack copied into another folder is still checked as prod. When the content disagrees, prod wins (fail
 * closed); when it says nothing, the stack's name decides.
 */
export function stackEnvironment(stack: SynthesizedStack): string | undefined {
  const content = environmentsInContent(stack);
  if (content.includes("prod")) return "prod";
  return content[0] ?? envOfName(stack.name);
}

export const isProdStack = (stack: SynthesizedStack): boolean => stackEnvironment(stack) === "prod";

/** A bootstrap stack, by the name cdktf recorded in it (the folder name only when it recorded none). */
export const isBootstrapStack = (stack: SynthesizedStack): boolean =>
  (recordedStackName(stack) ?? stack.name).endsWith("-bootstrap");
