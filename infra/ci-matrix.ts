import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { EnvironmentConfig } from "../environments/config.ts";
import { environments } from "../environments/index.ts";
import { runnerProjectName } from "../modules/ci-runner/ci-runner.ts";

/**
 * What the GitHub workflows need to know about the synthesized stacks, computed from cdktf.out and
 * environments/*.ts rather than repository variables: each stack's environment, the account and region
 * its role lives in, its place in the apply order, and whether it must run on the environment's in-VPC
 * runner (a stack with Kubernetes or Helm providers talks to a private cluster endpoint).
 *
 *   npx tsx infra/ci-matrix.ts plan [outdir]          → matrix=<JSON list of StackJob>
 *   npx tsx infra/ci-matrix.ts apply <env> [outdir]   → account=, region=, aws_stacks=, cluster_stacks=, runner_project=
 *   npx tsx infra/ci-matrix.ts registry <env> <repo>  → account=, region=, registry=, repository=, image=, role=
 *
 * Each prints `key=value` lines for `$GITHUB_OUTPUT`.
 */

/** One stack to plan: a matrix entry of the pull-request workflow. */
export interface StackJob {
  readonly stack: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** The environment's runner project (e.g. `prod-ci-runner`) when the stack needs the VPC, else "". */
  readonly runner_project: string;
}

/** One environment's apply: its stacks in dependency order, split by where they must run. */
export interface ApplyPlan {
  readonly account: string;
  readonly region: string;
  /** Stacks that only call AWS APIs (GitHub-hosted runner), in apply order. */
  readonly awsStacks: readonly string[];
  /** Stacks that reach the cluster API (in-VPC runner), in apply order after the others. */
  readonly clusterStacks: readonly string[];
  readonly runnerProject: string;
}

interface Manifest {
  readonly stacks: Readonly<
    Record<string, { readonly name: string; readonly dependencies: readonly string[] }>
  >;
}

function readManifest(outdir: string): Manifest {
  return JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
}

/** The bootstrap stacks are applied by an administrator and never planned or applied by CI. */
const isBootstrap = (stack: string) => stack.endsWith("-bootstrap");

/** True when the stack configures a provider that talks to the cluster's API. */
export function needsClusterAccess(outdir: string, stack: string): boolean {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    provider?: Record<string, unknown>;
  };
  const providers = Object.keys(json.provider ?? {});
  return providers.includes("kubernetes") || providers.includes("helm");
}

function environmentOf(stack: string, envs: readonly EnvironmentConfig[]): EnvironmentConfig {
  const name = stack.slice(0, stack.indexOf("-"));
  const env = envs.find((e) => e.name === name);
  if (!env) {
    throw new Error(
      `stack '${stack}' belongs to no environment in environments/ (expected a prefix of ${envs.map((e) => e.name).join(", ")})`,
    );
  }
  return env;
}

/** Every stack but the bootstrap stacks, sorted, with its environment's account, region and runner. */
export function planMatrix(outdir: string, envs: readonly EnvironmentConfig[]): StackJob[] {
  return Object.keys(readManifest(outdir).stacks)
    .filter((stack) => !isBootstrap(stack))
    .sort()
    .map((stack) => {
      const env = environmentOf(stack, envs);
      return {
        stack,
        environment: env.name,
        account: env.account,
        region: env.region,
        runner_project: needsClusterAccess(outdir, stack) ? runnerProjectName(env.name) : "",
      };
    });
}

/** Names in an order where each comes after its dependencies among `stacks` (others are ignored). */
export function orderByDependencies(stacks: Readonly<Record<string, readonly string[]>>): string[] {
  const names = Object.keys(stacks).sort();
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find(
      (n) => !done.has(n) && (stacks[n] ?? []).every((d) => done.has(d) || !(d in stacks)),
    );
    if (next === undefined) {
      throw new Error(`stack dependency cycle among: ${names.filter((n) => !done.has(n)).join(", ")}`);
    }
    done.add(next);
    order.push(next);
  }
  return order;
}

/** The apply of one environment: its non-bootstrap stacks ordered, AWS-only ones first. */
export function applyPlan(
  outdir: string,
  envs: readonly EnvironmentConfig[],
  environment: string,
): ApplyPlan {
  const env = envs.find((e) => e.name === environment);
  if (!env) {
    throw new Error(
      `unknown environment '${environment}', expected one of ${envs.map((e) => e.name).join(", ")}`,
    );
  }
  const mine = Object.fromEntries(
    Object.values(readManifest(outdir).stacks)
      .filter((s) => s.name.startsWith(`${environment}-`) && !isBootstrap(s.name))
      .map((s) => [s.name, s.dependencies]),
  );
  const order = orderByDependencies(mine);
  const cluster = order.filter((s) => needsClusterAccess(outdir, s));
  const aws = order.filter((s) => !cluster.includes(s));
  // The in-VPC runner is created by an AWS-only stack, so AWS-only stacks must not depend on cluster ones.
  for (const s of aws) {
    const late = (mine[s] ?? []).filter((d) => cluster.includes(d));
    if (late.length > 0) {
      throw new Error(
        `stack '${s}' depends on ${late.join(", ")}, which must run later on the in-VPC runner`,
      );
    }
  }
  return {
    account: env.account,
    region: env.region,
    awsStacks: aws,
    clusterStacks: cluster,
    runnerProject: runnerProjectName(env.name),
  };
}

/** Where one of an environment's ECR repositories is, and the role that pushes to it (the image workflows). */
export interface RegistryTarget {
  readonly account: string;
  readonly region: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  readonly registry: string;
  /** The repository's name, e.g. `dev-webhook`. */
  readonly repository: string;
  /** `<registry>/<repository>`, what an image reference starts with. */
  readonly image: string;
  /** The registry role (modules/ci-identity), e.g. `dev-ci-registry`. */
  readonly role: string;
}

export function registryTarget(
  envs: readonly EnvironmentConfig[],
  environment: string,
  repository: string,
): RegistryTarget {
  const env = envs.find((e) => e.name === environment);
  if (!env) {
    throw new Error(
      `unknown environment '${environment}', expected one of ${envs.map((e) => e.name).join(", ")}`,
    );
  }
  if (!env.registry.repositories.includes(repository)) {
    throw new Error(
      `environment '${environment}' has no ECR repository '${repository}' (environments/${environment}.ts registry.repositories: ${env.registry.repositories.join(", ")})`,
    );
  }
  const registry = `${env.account}.dkr.ecr.${env.region}.amazonaws.com`;
  const name = `${env.name}-${repository}`;
  return {
    account: env.account,
    region: env.region,
    registry,
    repository: name,
    image: `${registry}/${name}`,
    role: `${env.name}-ci-registry`,
  };
}

/** `key=value` lines for `$GITHUB_OUTPUT`. */
export function githubOutput(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (/[\r\n]/.test(v)) throw new Error(`output ${k} must be one line`);
      return `${k}=${v}\n`;
    })
    .join("");
}

export function run(argv: readonly string[], envs: readonly EnvironmentConfig[]): string {
  const [command, ...rest] = argv;
  if (command === "plan") {
    return githubOutput({ matrix: JSON.stringify(planMatrix(rest[0] ?? "cdktf.out", envs)) });
  }
  if (command === "apply" && rest[0]) {
    const plan = applyPlan(rest[1] ?? "cdktf.out", envs, rest[0]);
    return githubOutput({
      account: plan.account,
      region: plan.region,
      aws_stacks: plan.awsStacks.join(" "),
      cluster_stacks: plan.clusterStacks.join(" "),
      runner_project: plan.runnerProject,
    });
  }
  if (command === "registry" && rest[0] && rest[1]) {
    return githubOutput({ ...registryTarget(envs, rest[0], rest[1]) });
  }
  throw new Error(
    "usage: ci-matrix.ts plan [outdir] | ci-matrix.ts apply <environment> [outdir] | ci-matrix.ts registry <environment> <repository>",
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    process.stdout.write(
      run(
        process.argv.slice(2),
        environments.map((e) => e.config),
      ),
    );
  } catch (error) {
    process.stderr.write(`ci-matrix: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
