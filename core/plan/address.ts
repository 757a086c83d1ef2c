/**
 * Terraform resource addresses, parsed properly: a `for_each` key is a quoted string that may contain
 * `.`, `[`, `]` or escaped `"`, so an address is never split on dots.
 */

export type AddressKey = string | number;

export interface AddressStep {
  readonly name: string;
  readonly key?: AddressKey;
}

export interface ParsedAddress {
  /** Module calls from the root, e.g. [{name:"net", key:"eu"}] for module.net["eu"]. */
  readonly modules: readonly AddressStep[];
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly key?: AddressKey;
}

/**
 * One step of an address at `lastIndex`: its name (anything up to a "." or "["), then an optional key, either a
 * quoted string, whose backslash escapes `\n` and `\t` are a newline and a tab and any other escaped character is
 * itself, or an index; then a "." that another step must follow, or the end.
 */
const STEP = /([^.[]+)(?:\["((?:[^"\\]|\\[\s\S])*)"\]|\[(\d+)\])?(\.(?!$)|$)/y;

function unescapeKey(quoted: string): string {
  return quoted.replace(/\\([\s\S])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** The steps of an address (`name` or `name[key]`), or undefined when it is malformed. */
export function addressSteps(address: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  STEP.lastIndex = 0;
  // Each match moves past at least a name's first character, and the one that reaches the end returns.
  for (let step = STEP.exec(address); step; step = STEP.exec(address)) {
    const [, name, quoted, index, dot] = step as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
      string,
    ];
    if (quoted !== undefined) steps.push({ name, key: unescapeKey(quoted) });
    else if (index !== undefined) steps.push({ name, key: Number(index) });
    else steps.push({ name });
    if (dot === "") return steps;
  }
  return undefined;
}

/** Parses a resource address; undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const steps = addressSteps(address);
  if (!steps) return undefined;
  const modules: AddressStep[] = [];
  let i = 0;
  for (; steps[i]?.name === "module" && steps[i]?.key === undefined && steps[i + 1]; i += 2) {
    modules.push(steps[i + 1] as AddressStep);
  }
  let mode: ParsedAddress["mode"] = "managed";
  if (steps[i]?.name === "data" && steps[i]?.key === undefined && steps.length - i === 3) {
    mode = "data";
    i++;
  }
  const type = steps[i];
  const resource = steps[i + 1];
  if (!type || !resource || type.key !== undefined || steps.length !== i + 2) return undefined;
  return {
    modules,
    mode,
    type: type.name,
    name: resource.name,
    ...(resource.key !== undefined ? { key: resource.key } : {}),
  };
}

function formatKey(key: AddressKey | undefined): string {
  // JSON writes a number as the template literal would, and quotes and escapes a string key.
  return key === undefined ? "" : `[${JSON.stringify(key)}]`;
}

/** The module part of a parsed address, e.g. module.net["eu"].module.subnets ("" for the root). */
export function formatModule(modules: readonly AddressStep[]): string {
  return modules.map((m) => `module.${m.name}${formatKey(m.key)}`).join(".");
}

/** The module part of an address string ("" for the root module or an address that cannot be parsed). */
export function moduleOf(address: string): string {
  const parsed = parseAddress(address);
  return parsed ? formatModule(parsed.modules) : "";
}
