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

function readKey(address: string, start: number): { key: AddressKey; end: number } | undefined {
  // address[start] === "["
  if (address[start + 1] === '"') {
    let out = "";
    // Stryker disable next-line EqualityOperator: one step further reads undefined, which is neither "\\" nor '"', and the loop returns undefined just the same
    for (let i = start + 2; i < address.length; i++) {
      const c = address[i];
      if (c === "\\") {
        const next = address[i + 1];
        // Stryker disable next-line ConditionalExpression: a trailing backslash; without this return the loop ends past the end and returns undefined just the same
        if (next === undefined) return undefined;
        out += next === "n" ? "\n" : next === "t" ? "\t" : next;
        i++;
      } else if (c === '"') {
        return address[i + 1] === "]" ? { key: out, end: i + 2 } : undefined;
      } else {
        out += c;
      }
    }
    return undefined;
  }
  const index = /^\[(\d+)\]/.exec(address.slice(start));
  return index ? { key: Number(index[1]), end: start + index[0].length } : undefined;
}

/** The steps of an address (`name` or `name[key]`), or undefined when it is malformed. */
export function addressSteps(address: string): AddressStep[] | undefined {
  const steps: AddressStep[] = [];
  let i = 0;
  // Each pass returns, breaks, or moves past a "."; an empty name (a trailing ".", or "") is malformed.
  for (;;) {
    let end = i;
    while (end < address.length && address[end] !== "." && address[end] !== "[") end++;
    const name = address.slice(i, end);
    if (name === "") return undefined;
    if (address[end] === "[") {
      const key = readKey(address, end);
      if (!key) return undefined;
      steps.push({ name, key: key.key });
      end = key.end;
    } else {
      steps.push({ name });
    }
    if (end === address.length) break;
    if (address[end] !== ".") return undefined;
    i = end + 1;
  }
  return steps;
}

/** Parses a resource address; undefined when it is not one. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const steps = addressSteps(address);
  if (!steps) return undefined;
  const modules: AddressStep[] = [];
  let i = 0;
  while (steps[i]?.name === "module" && steps[i]?.key === undefined && steps[i + 1]) {
    modules.push(steps[i + 1] as AddressStep);
    i += 2;
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
