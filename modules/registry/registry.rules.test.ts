import type { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { registryRules } from "../../core/rules/registry.ts";
import { runRules } from "../../core/rules/run.ts";
import { configureS3Backend } from "../state-backend/state-backend.ts";
import { synthStack, testStack } from "../test/stack.ts";
import { Registry } from "./registry.ts";

function registry(props: { allowMutableTags?: boolean } = {}) {
  const stack = testStack("dev", "dev-platform");
  configureS3Backend(stack, { bucket: "dev-tfstate-111111111111", region: "eu-west-1" });
  const built = new Registry(stack, "registry", { repositories: ["orders", "webhook"], ...props });
  return { stack, built };
}

function violations(stack: TerraformStack) {
  return runRules([synthStack(stack)], registryRules);
}

function repository(built: Registry, name: string) {
  return built.node.findChild(`repository-${name}`) as unknown as {
    addOverride(p: string, v: unknown): void;
  };
}

describe("registry rules", () => {
  it("pass on the default registry", () => {
    expect(violations(registry().stack)).toEqual([]);
  });

  it("ecr-immutable trips on every repository when tags are mutable", () => {
    const found = violations(registry({ allowMutableTags: true }).stack);
    expect(found.map((v) => v.rule)).toEqual(["ecr-immutable", "ecr-immutable"]);
    expect(found[0]?.address).toMatch(/^aws_ecr_repository\.registry_repository-orders_/);
    expect(found[0]?.message).toBe('image_tag_mutability is "MUTABLE", expected "IMMUTABLE"');
  });

  it("ecr-scan-on-push trips when scanning on push is off", () => {
    const { stack, built } = registry();
    repository(built, "webhook").addOverride("image_scanning_configuration.scan_on_push", false);
    const found = violations(stack);
    expect(found.map((v) => v.rule)).toEqual(["ecr-scan-on-push"]);
    expect(found[0]?.address).toMatch(/^aws_ecr_repository\.registry_repository-webhook_/);
  });

  it("ecr-kms trips on AES256 encryption", () => {
    const { stack, built } = registry();
    repository(built, "orders").addOverride("encryption_configuration.0.encryption_type", "AES256");
    expect(violations(stack).map((v) => [v.rule, v.message])).toEqual([
      ["ecr-kms", 'encryption_type is "AES256", expected "KMS"'],
    ]);
  });
});
