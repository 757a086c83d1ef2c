import { isMap, isScalar, parseDocument } from "yaml";

/**
 * Promotion of a service's image from one environment's gitops values to the next: the target file's
 * `apps.<service>.values.image.digest` becomes the source's, and nothing else in the file changes (the
 * scalar's text is replaced in place, so comments, quoting and layout stay as written). Pure: text in,
 * text and a unified diff out.
 */

/** An image digest as the service chart accepts it. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

export class PromoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromoteError";
  }
}

export interface PromoteInput {
  readonly service: string;
  readonly from: string;
  readonly to: string;
  /** Environments in promotion order (e.g. dev, staging, prod): `to` must come right after `from`. */
  readonly order: readonly string[];
  readonly source: { readonly file: string; readonly text: string };
  readonly target: { readonly file: string; readonly text: string };
}

export interface Promotion {
  /** The digest promoted (the source's). */
  readonly digest: string;
  /** The target's digest before. */
  readonly previous: string;
  /** The target's image repository (the promoted image must exist there). */
  readonly targetRepository: string | undefined;
  readonly sourceRepository: string | undefined;
  /** False when the target already runs the digest: nothing to change. */
  readonly changed: boolean;
  /** The target file after promotion (the same text when unchanged). */
  readonly text: string;
  /** Unified diff of the target file, empty when unchanged. */
  readonly diff: string;
}

interface DigestNode {
  readonly value: string;
  readonly range: readonly [number, number];
  readonly repository: string | undefined;
}

const path = (service: string) => `apps.${service}.values.image.digest`;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The digest scalar of a service in one values file, with its place in the text. */
function findDigest(file: string, text: string, service: string): DigestNode {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0]?.line;
    throw new PromoteError(
      `${file}${line ? `:${line}` : ""}: not valid YAML (${first?.message.split("\n")[0]})`,
    );
  }
  const apps = doc.get("apps");
  if (!isMap(apps)) throw new PromoteError(`${file}: expected a mapping at apps`);
  const app = apps.get(service);
  if (!isMap(app)) {
    const known = apps.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)).join(", ");
    throw new PromoteError(`${file}: no app '${service}' under apps (apps here: ${known || "none"})`);
  }
  const node = doc.getIn(["apps", service, "values", "image", "digest"], true);
  if (!isScalar(node) || !node.range) {
    throw new PromoteError(`${file}: ${path(service)}: expected an image digest, found none`);
  }
  const value = node.value;
  if (typeof value !== "string" || !DIGEST.test(value)) {
    throw new PromoteError(
      `${file}:${lineOf(text, node.range[0])}: ${path(service)}: expected sha256:<64 hex digits>, got ${JSON.stringify(value)}`,
    );
  }
  const repository = doc.getIn(["apps", service, "values", "image", "repository"]);
  return {
    value,
    range: [node.range[0], node.range[1]],
    repository: typeof repository === "string" ? repository : undefined,
  };
}

/** Refuses promotions that skip or reverse the order, or stay in place. */
export function checkOrder(from: string, to: string, order: readonly string[]): void {
  for (const [flag, env] of [
    ["--from", from],
    ["--to", to],
  ] as const) {
    if (!order.includes(env))
      throw new PromoteError(`${flag}: unknown environment '${env}' (expected one of ${order.join(", ")})`);
  }
  if (from === to)
    throw new PromoteError(`--from and --to are both '${from}': promote to the next environment`);
  const next = order[order.indexOf(from) + 1];
  if (to !== next) {
    throw new PromoteError(
      next
        ? `'${from}' promotes to '${next}' only (order: ${order.join(" → ")}), not to '${to}'`
        : `'${from}' is the last environment (order: ${order.join(" → ")}); nothing comes after it`,
    );
  }
}

export function promote(input: PromoteInput): Promotion {
  checkOrder(input.from, input.to, input.order);
  const source = findDigest(input.source.file, input.source.text, input.service);
  return { ...rewrite(input.target, input.service, source.value), sourceRepository: source.repository };
}

export interface IntroduceInput {
  readonly service: string;
  /** Must be the first environment of `order`: a new image enters there and is promoted from it. */
  readonly to: string;
  readonly order: readonly string[];
  /** The digest just built and pushed. */
  readonly digest: string;
  readonly target: { readonly file: string; readonly text: string };
}

/** A freshly built image into the first environment (the build's dev pull request), nowhere else. */
export function introduce(input: IntroduceInput): Promotion {
  const first = input.order[0];
  if (input.to !== first) {
    throw new PromoteError(
      `--digest sets a new image in '${first}' only (order: ${input.order.join(" → ")}); later environments get it by promotion`,
    );
  }
  if (!DIGEST.test(input.digest)) {
    throw new PromoteError(`--digest: expected sha256:<64 hex digits>, got ${JSON.stringify(input.digest)}`);
  }
  return { ...rewrite(input.target, input.service, input.digest), sourceRepository: undefined };
}

/** The target file with the service's digest replaced in place, and the diff. */
function rewrite(
  target: { readonly file: string; readonly text: string },
  service: string,
  digest: string,
): Omit<Promotion, "sourceRepository"> {
  const found = findDigest(target.file, target.text, service);
  const base = { digest, previous: found.value, targetRepository: found.repository };
  if (digest === found.value) return { ...base, changed: false, text: target.text, diff: "" };
  const [start, end] = found.range;
  // The scalar as written (quotes included) with the old digest swapped for the new one.
  const written = target.text.slice(start, end).replace(found.value, digest);
  const text = target.text.slice(0, start) + written + target.text.slice(end);
  const check = findDigest(target.file, text, service);
  if (check.value !== digest) {
    throw new PromoteError(`${target.file}: the rewritten digest reads back as ${check.value}`);
  }
  return { ...base, changed: true, text, diff: unifiedDiff(target.file, target.text, text) };
}

/**
 * A unified diff (three lines of context) of two texts that differ in exactly one line; anything else
 * is refused, so a promotion can never carry a second change.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const changed = a.flatMap((line, i) => (line !== b[i] ? [i] : []));
  if (a.length !== b.length || changed.length !== 1) {
    throw new PromoteError(
      `${file}: a promotion changes exactly one line, this one would change ${a.length !== b.length ? "the line count" : `${changed.length} lines`}`,
    );
  }
  const at = changed[0] as number;
  const first = Math.max(0, at - context);
  const last = Math.min(a.length - 1, at + context);
  // A text ending in "\n" splits into a last empty element that is not a line.
  const lastLine = a.at(-1) === "" ? Math.min(last, a.length - 2) : last;
  const count = lastLine - first + 1;
  const lines = [`--- a/${file}`, `+++ b/${file}`, `@@ -${first + 1},${count} +${first + 1},${count} @@`];
  for (let i = first; i <= lastLine; i++) {
    if (i === at) lines.push(`-${a[i]}`, `+${b[i]}`);
    else lines.push(` ${a[i]}`);
  }
  return `${lines.join("\n")}\n`;
}
