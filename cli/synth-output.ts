import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { JsonSyntaxError, lineColumn, parseJsonText } from "../core/plan/json-text.ts";
import type { SynthesizedStack, TerraformJson } from "../core/rules/types.ts";
import { isUtf16, UTF16_MESSAGE, withoutBom } from "../core/text-encoding.ts";
import { UserError } from "./command.ts";
import { readTextFileSync } from "./read-text.ts";

/**
 * Reads synthesized stacks from a cdktf output folder (`cdktf.out`, its `stacks/` folder,
 * one stack folder, or one cdk.tf.json file).
 */
export function readSynthesizedStacks(path: string, cwd: string): SynthesizedStack[] {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute))
    throw new UserError(`${path}: no such file or folder (run \`npm run synth\` first)`);
  const files = stackFiles(absolute);
  if (files.length === 0)
    throw new UserError(`${path}: no stacks found (expected stacks/<name>/cdk.tf.json)`);
  return files.map((file) => {
    const name = file.endsWith("cdk.tf.json") ? (file.split("/").at(-2) ?? file) : file;
    const shown = relative(cwd, file) || file;
    const text = readTextFileSync(file, shown);
    if (isUtf16(text)) throw new UserError(`${shown}: ${UTF16_MESSAGE}`);
    if (withoutBom(text).trim() === "")
      throw new UserError(`${shown}: is empty (expected cdktf's cdk.tf.json)`);
    let json: unknown;
    try {
      json = parseJsonText(withoutBom(text));
    } catch (error) {
      // JsonSyntaxError gives only the position: JSON.parse's own message quotes the input, which may hold secrets.
      if (!(error instanceof JsonSyntaxError)) throw error;
      const at = error.offset === undefined ? undefined : lineColumn(text, error.offset);
      throw new UserError(
        `${shown}${at ? `:${at.line}:${at.column}` : ""}: not valid JSON: ${error.problem} (expected cdktf's cdk.tf.json)`,
      );
    }
    if (json === null || typeof json !== "object" || Array.isArray(json))
      throw new UserError(`${relative(cwd, file)}: expected a Terraform JSON object`);
    const problem = notSynthesized(json as Record<string, unknown>);
    if (problem) {
      throw new UserError(
        `${relative(cwd, file) || file}: not a synthesized stack (${problem}); expected cdktf's cdk.tf.json, as \`npm run synth\` writes it under cdktf.out/stacks/<name>/`,
      );
    }
    return { name, json: json as TerraformJson };
  });
}

function stackFiles(absolute: string): string[] {
  if (statSync(absolute).isFile()) return [absolute];
  const direct = join(absolute, "cdk.tf.json");
  if (existsSync(direct)) return [direct];
  const stacksDir = existsSync(join(absolute, "stacks")) ? join(absolute, "stacks") : absolute;
  return readdirSync(stacksDir)
    .sort()
    .map((entry) => join(stacksDir, entry, "cdk.tf.json"))
    .filter((file) => existsSync(file));
}

/**
 * Why a JSON object is not a stack cdktf synthesized, or undefined when it is one: cdktf writes its
 * metadata under "//" and a "terraform" block (required providers, backend). A plan, a state file or any
 * other JSON would otherwise pass every rule for want of resources.
 */
function notSynthesized(json: Record<string, unknown>): string | undefined {
  if ("resource_changes" in json || "planned_values" in json) return "it is a terraform plan";
  if ("values" in json && "format_version" in json) return "it is terraform state or show output";
  const metadata = (json["//"] as { metadata?: unknown } | undefined)?.metadata;
  const terraform = json.terraform;
  if (typeof terraform !== "object" || terraform === null || Array.isArray(terraform))
    return 'it has no "terraform" block';
  if (typeof metadata !== "object" || metadata === null) return 'it has no cdktf metadata ("//")';
  return undefined;
}
