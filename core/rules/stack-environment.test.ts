import { describe, expect, it } from "vitest";
import { isBootstrapStack, stackEnvironment } from "./stack-environment.ts";
import type { SynthesizedStack, TerraformJson } from "./types.ts";

const stack = (name: string, json: Record<string, unknown>): SynthesizedStack => ({
  name,
  json: json as TerraformJson,
});
const tagged = (environment: string) => ({
  provider: {
    aws: [{ region: "eu-west-1", default_tags: [{ tags: { environment, "managed-by": "sluice" } }] }],
  },
});
const backend = (key: string) => ({ terraform: { backend: { s3: { key, encrypt: true } } } });
const recorded = (stackName: string) => ({ "//": { metadata: { stackName, backend: "s3" } } });

describe("the environment of a synthesized stack", () => {
  it.each<[string, SynthesizedStack, string | undefined]>([
    ["from its provider's default tags, not its folder", stack("scratch", tagged("prod")), "prod"],
    ["from its backend key", stack("dev-copy", backend("prod-platform/terraform.tfstate")), "prod"],
    ["from the stack name cdktf recorded", stack("copy", recorded("staging-network")), "staging"],
    [
      "prod when its content disagrees (fail closed)",
      stack("dev-x", { ...tagged("dev"), ...backend("prod-a/t") }),
      "prod",
    ],
    ["from its folder name only when the content says nothing", stack("dev-platform", {}), "dev"],
  ])("%s", (_what, s, env) => {
    expect(stackEnvironment(s)).toBe(env);
  });

  it("is a bootstrap stack by the name cdktf recorded, not a folder named like one", () => {
    expect(isBootstrapStack(stack("prod-bootstrap", {}))).toBe(true);
    expect(isBootstrapStack(stack("x-bootstrap", recorded("prod-platform")))).toBe(false);
    expect(isBootstrapStack(stack("copy", recorded("prod-bootstrap")))).toBe(true);
  });
});
