import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key.ts";
import { Namer } from "../naming/namer.ts";

export interface RegistryProps {
  /**
   * The repositories, each named by one or more glossary tokens joined with `-` (e.g. "orders",
   * "webhook"); the Namer prefixes the environment, so "orders" becomes `dev-orders`.
   */
  readonly repositories: readonly string[];
  /**
   * Customer-managed KMS key ARN that encrypts the images.
   * @default a new KMS key with yearly rotation, shared by this registry's repositories
   */
  readonly kmsKeyArn?: string;
  /**
   * Days an untagged image (a superseded build, a failed push) is kept before it is expired.
   * @default 14
   */
  readonly untaggedImageExpiryDays?: number;
  /**
   * How many tagged images each repository keeps; older ones are expired.
   * @default 30
   */
  readonly taggedImagesToKeep?: number;
  /**
   * Escape hatch: let a tag be pushed again to point at a different image (MUTABLE). Mutable tags
   * break the link between a reviewed tag and what runs, so leave this off outside experiments.
   * @default false
   */
  readonly allowMutableTags?: boolean;
  /**
   * Escape hatch: let `terraform destroy` delete repositories that still hold images.
   * @default false
   */
  readonly forceDelete?: boolean;
}

const REPOSITORY_NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/**
 * ECR repositories with immutable tags, scan on push, KMS encryption and a lifecycle policy that
 * expires untagged images after N days and keeps the last N tagged ones.
 */
export class Registry extends Construct {
  /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`) by the name given in props. */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** Repository ARN by the name given in props. */
  readonly repositoryArns: Readonly<Record<string, string>>;
  /** Full repository name (with the environment prefix) by the name given in props. */
  readonly repositoryNames: Readonly<Record<string, string>>;
  /** ARN of the KMS key encrypting the images. */
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    validateProps(props);
    const namer = Namer.of(this);

    let kmsKeyArn = props.kmsKeyArn;
    if (kmsKeyArn === undefined) {
      const key = new EncryptionKey(this, "key", {
        description: "Encrypts container images in ECR",
        aliasName: namer.name("kms-alias", "ecr", "key"),
      });
      kmsKeyArn = key.arn;
    }
    this.kmsKeyArn = kmsKeyArn;

    const lifecyclePolicy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${props.untaggedImageExpiryDays ?? 14} days`,
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: props.untaggedImageExpiryDays ?? 14,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: `Keep the last ${props.taggedImagesToKeep ?? 30} tagged images`,
          selection: {
            tagStatus: "tagged",
            tagPatternList: ["*"],
            countType: "imageCountMoreThan",
            countNumber: props.taggedImagesToKeep ?? 30,
          },
          action: { type: "expire" },
        },
      ],
    });

    const urls: Record<string, string> = {};
    const arns: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const repositoryName of props.repositories) {
      const repository = new EcrRepository(this, `repository-${repositoryName}`, {
        name: namer.name("ecr-repository", ...repositoryName.split("-")),
        imageTagMutability: props.allowMutableTags === true ? "MUTABLE" : "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: kmsKeyArn }],
        forceDelete: props.forceDelete === true,
      });
      new EcrLifecyclePolicy(this, `lifecycle-${repositoryName}`, {
        repository: repository.name,
        policy: lifecyclePolicy,
      });
      urls[repositoryName] = repository.repositoryUrl;
      arns[repositoryName] = repository.arn;
      names[repositoryName] = repository.name;
    }
    this.repositoryUrls = urls;
    this.repositoryArns = arns;
    this.repositoryNames = names;
  }
}

function validateProps(props: RegistryProps): void {
  if (!Array.isArray(props.repositories) || props.repositories.length === 0) {
    throw new Error(
      `Registry: repositories must list at least one repository name, got ${JSON.stringify(props.repositories)}`,
    );
  }
  const seen = new Set<string>();
  props.repositories.forEach((name, i) => {
    if (typeof name !== "string" || !REPOSITORY_NAME.test(name)) {
      throw new Error(
        `Registry: repositories[${i}] must be lowercase glossary tokens joined by '-' (e.g. "orders"), got ${JSON.stringify(name)}`,
      );
    }
    if (seen.has(name)) throw new Error(`Registry: repositories[${i}] "${name}" is listed twice`);
    seen.add(name);
  });
  const days = props.untaggedImageExpiryDays;
  if (days !== undefined && !Token.isUnresolved(days) && (!Number.isInteger(days) || days < 1)) {
    throw new Error(`Registry: untaggedImageExpiryDays must be an integer >= 1, got ${days}`);
  }
  const keep = props.taggedImagesToKeep;
  if (keep !== undefined && !Token.isUnresolved(keep) && (!Number.isInteger(keep) || keep < 1)) {
    throw new Error(`Registry: taggedImagesToKeep must be an integer >= 1, got ${keep}`);
  }
  const key = props.kmsKeyArn;
  if (
    key !== undefined &&
    !Token.isUnresolved(key) &&
    !/^arn:aws[a-z-]*:kms:[^:]+:\d{12}:key\/.+$/.test(key)
  ) {
    throw new Error(
      `Registry: kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${JSON.stringify(key)}`,
    );
  }
}
