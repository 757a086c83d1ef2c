import { blocksOf } from "./network.ts";
import { type Rule, resourcesOf, violation } from "./types.ts";

const ecrImmutable: Rule = {
  id: "ecr-immutable",
  description: "Every ECR repository has immutable tags, so a reviewed tag always names the same image.",
  check(stack) {
    return resourcesOf(stack, "aws_ecr_repository")
      .filter((r) => r.config.image_tag_mutability !== "IMMUTABLE")
      .map((r) =>
        violation(
          ecrImmutable.id,
          stack,
          r,
          `image_tag_mutability is ${JSON.stringify(r.config.image_tag_mutability ?? "MUTABLE (default)")}, expected "IMMUTABLE"`,
        ),
      );
  },
};

const ecrScanOnPush: Rule = {
  id: "ecr-scan-on-push",
  description: "Every ECR repository scans images for vulnerabilities when they are pushed.",
  check(stack) {
    return resourcesOf(stack, "aws_ecr_repository")
      .filter((r) => !blocksOf(r.config.image_scanning_configuration).some((c) => c.scan_on_push === true))
      .map((r) =>
        violation(ecrScanOnPush.id, stack, r, "image_scanning_configuration.scan_on_push is not true"),
      );
  },
};

const ecrKms: Rule = {
  id: "ecr-kms",
  description: "Every ECR repository encrypts images with KMS.",
  check(stack) {
    return resourcesOf(stack, "aws_ecr_repository").flatMap((r) => {
      const types = blocksOf(r.config.encryption_configuration).map((c) => c.encryption_type);
      if (types.some((t) => t === "KMS" || t === "KMS_DSSE")) return [];
      return [
        violation(
          ecrKms.id,
          stack,
          r,
          `encryption_type is ${JSON.stringify(types[0] ?? "AES256 (default)")}, expected "KMS"`,
        ),
      ];
    });
  },
};

/** Rules for container registries (ECR). */
export const registryRules: readonly Rule[] = [ecrImmutable, ecrScanOnPush, ecrKms];
