import type { IConstruct } from "constructs";

/**
 * The kinds of AWS/Kubernetes name a construct builds. Each has its own length and character limits
 * (see core/glossary for the rules); `generic` is for names AWS constrains only loosely (log groups,
 * KMS aliases, parameter groups, SNS topics).
 */
export type NameTarget =
  | "generic"
  | "iam-role"
  | "iam-policy"
  | "sqs-queue"
  | "sqs-fifo-queue"
  | "rds-identifier"
  | "eks-cluster"
  | "eks-node-group"
  | "s3-bucket"
  | "alb"
  | "target-group"
  | "cognito-user-pool"
  | "k8s-namespace"
  | "k8s-label-value"
  | "helm-release"
  | "ecr-repository"
  | "log-group"
  | "kms-alias"
  | "sns-topic"
  | "security-group";

export interface NamerProps {
  /** The environment's canonical short name (a glossary term), the first token of every name. */
  readonly environment: string;
}

const NAMER_CONTEXT_KEY = "sluice:namer";

/**
 * Builds every resource name from glossary terms, so names are right by construction.
 * Constructs never hand-write a name string: they call `Namer.of(this).name(target, ...tokens)`.
 */
export class Namer {
  /** The namer registered on the nearest enclosing scope (usually the stack). */
  static of(scope: IConstruct): Namer {
    const found = scope.node.tryGetContext(NAMER_CONTEXT_KEY) as Namer | undefined;
    if (!found) {
      throw new Error(
        `No Namer registered above '${scope.node.path}'. Call Namer.register(stack, namer) when creating the stack.`,
      );
    }
    return found;
  }

  /** Makes `namer` the one that `Namer.of` finds for `scope` and everything below it. */
  static register(scope: IConstruct, namer: Namer): void {
    scope.node.setContext(NAMER_CONTEXT_KEY, namer);
  }

  constructor(readonly props: NamerProps) {}

  /** `{env}-{token}-{token}…`, checked against the target's limits. */
  name(target: NameTarget, ...tokens: string[]): string {
    const joined = [this.props.environment, ...tokens].join("-");
    return target === "sqs-fifo-queue" ? `${joined}.fifo` : joined;
  }
}
