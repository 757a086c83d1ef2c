import { describe, expect, it } from "vitest";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { Registry, type RegistryProps } from "./registry.ts";

function build(props: Partial<RegistryProps> = {}) {
  const stack = testStack("prod", "prod-platform");
  const registry = new Registry(stack, "registry", { repositories: ["orders", "webhook"], ...props });
  const json = synthStack(stack);
  const repos = Object.values(resources(json, "aws_ecr_repository"));
  return { registry, json, repos };
}

describe("Registry", () => {
  it("creates one repository per name, named by the Namer, immutable, scanned and KMS-encrypted", () => {
    const { json, repos } = build();
    const keyArn = `\${aws_kms_key.${Object.keys(resources(json, "aws_kms_key"))[0]}.arn}`;
    expect(repos.map((r) => r.name)).toEqual(["prod-orders", "prod-webhook"]);
    for (const repo of repos) {
      expect(repo).toMatchObject({
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: keyArn }],
        force_delete: false,
      });
    }
    expect(only(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true });
    expect(only(json, "aws_kms_alias")).toMatchObject({ name: "alias/prod-ecr-key" });
  });

  it("expires untagged images after N days and keeps the last N tagged ones", () => {
    const policies = (json: ReturnType<typeof synthStack>) =>
      Object.values(resources(json, "aws_ecr_lifecycle_policy")).map((p) => JSON.parse(String(p.policy)));
    const defaults = policies(build().json);
    expect(defaults).toHaveLength(2);
    expect(defaults[0].rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
      { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 },
    ]);
    const tuned = policies(build({ untaggedImageExpiryDays: 3, taggedImagesToKeep: 5 }).json)[0];
    expect(tuned.rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([
      3, 5,
    ]);
    const repoRefs = Object.values(resources(build().json, "aws_ecr_lifecycle_policy")).map(
      (p) => p.repository,
    );
    expect(repoRefs).toEqual([
      expect.stringMatching(/^\$\{aws_ecr_repository\.registry_repository-orders_\w+\.name\}$/),
      expect.stringMatching(/^\$\{aws_ecr_repository\.registry_repository-webhook_\w+\.name\}$/),
    ]);
  });

  it("uses a given KMS key instead of creating one", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/0f0e0d0c-0000-4000-8000-000000000000";
    const { json, repos, registry } = build({ kmsKeyArn });
    expect(resources(json, "aws_kms_key")).toEqual({});
    expect(repos[0]?.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: kmsKeyArn }]);
    expect(registry.kmsKeyArn).toBe(kmsKeyArn);
  });

  it("exposes URLs, ARNs and names by the name given in props", () => {
    const { registry } = build();
    expect(Object.keys(registry.repositoryUrls)).toEqual(["orders", "webhook"]);
    expect(Object.keys(registry.repositoryArns)).toEqual(["orders", "webhook"]);
    expect(Object.keys(registry.repositoryNames)).toEqual(["orders", "webhook"]);
  });

  it("has escape hatches for mutable tags and force delete", () => {
    const { repos } = build({ allowMutableTags: true, forceDelete: true });
    expect(repos[0]).toMatchObject({ image_tag_mutability: "MUTABLE", force_delete: true });
  });

  it("rejects bad props, naming the prop and value", () => {
    expect(() => build({ repositories: [] })).toThrow(
      "Registry: repositories must list at least one repository name, got []",
    );
    expect(() => build({ repositories: ["Orders"] })).toThrow(
      'Registry: repositories[0] must be lowercase glossary tokens joined by \'-\' (e.g. "orders"), got "Orders"',
    );
    expect(() => build({ repositories: ["orders", "orders"] })).toThrow(
      'Registry: repositories[1] "orders" is listed twice',
    );
    expect(() => build({ untaggedImageExpiryDays: 0 })).toThrow(
      "Registry: untaggedImageExpiryDays must be an integer >= 1, got 0",
    );
    expect(() => build({ taggedImagesToKeep: 1.5 })).toThrow(
      "Registry: taggedImagesToKeep must be an integer >= 1, got 1.5",
    );
    expect(() => build({ kmsKeyArn: "alias/mine" })).toThrow(
      /Registry: kmsKeyArn must be a KMS key ARN .* got "alias\/mine"/,
    );
  });
});
