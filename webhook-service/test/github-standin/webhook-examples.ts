import { createRequire } from "node:module";

/** One delivery's payload from @octokit/webhooks-examples (real deliveries GitHub documented). */
export type ExamplePayload = Record<string, unknown> & { action?: string };

interface ExampleDefinition {
  readonly name: string;
  readonly examples: readonly ExamplePayload[];
}

let definitions: readonly ExampleDefinition[] | undefined;

function load(): readonly ExampleDefinition[] {
  // The package's entry point is a JSON file; require reads it the same under vitest, tsx and node.
  definitions ??= createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleDefinition[];
  return definitions;
}

/**
 * The example deliveries of an event, optionally of one action, and (by default) only those an App receives:
 * with an `installation`. A deep copy, so a test may change it.
 */
export function webhookExamples(
  event: string,
  options: {
    readonly action?: string;
    readonly withInstallation?: boolean;
    readonly organization?: boolean;
  } = {},
): ExamplePayload[] {
  const definition = load().find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const withInstallation = options.withInstallation ?? true;
  return definition.examples
    .filter((e) => options.action === undefined || e.action === options.action)
    .filter((e) => !withInstallation || e.installation !== undefined)
    .filter(
      (e) => options.organization === undefined || (e.organization !== undefined) === options.organization,
    )
    .map((e) => structuredClone(e));
}

/** The first matching example delivery; throws naming what was asked for when there is none. */
export function webhookExample(
  event: string,
  options: {
    readonly action?: string;
    readonly withInstallation?: boolean;
    readonly organization?: boolean;
  } = {},
): ExamplePayload {
  const [first] = webhookExamples(event, options);
  if (!first)
    throw new Error(
      `@octokit/webhooks-examples has no "${event}" example matching ${JSON.stringify(options)}`,
    );
  return first;
}
