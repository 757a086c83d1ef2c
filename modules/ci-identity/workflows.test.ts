import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { App } from "cdktf";
import picomatch from "picomatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments } from "../../environments/index.ts";
import { organisation } from "../../environments/shared.ts";
import { buildEnvironment } from "../../infra/app.ts";
import { applyPlan, orderByDependencies, planMatrix, run } from "../../infra/ci-matrix.ts";
import { runnerLabel, runnerProjectName } from "../ci-runner/ci-runner.ts";
import { testStack } from "../test/stack.ts";
import { gh, loadWorkflow, repositoryRoot, workflowsDir, workflowText } from "../test/workflows.ts";
import { CiIdentity } from "./ci-identity.ts";

/**
 * The GitHub workflows shipped for users (.github/workflows) run on GitHub, not here, so this
 * checks what can be checked offline: their security settings, their steps, that they assume the
 * roles CiIdentity creates in each environment's own account, that cluster stacks go to the in-VPC
 * runner, and the scripts they run.
 */

const root = repositoryRoot;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  id?: string;
}
interface Job {
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  environment?: unknown;
  permissions?: Record<string, string>;
  "runs-on"?: string;
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, Record<string, unknown> | null>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = workflowText;
const load = (file: string) => loadWorkflow<Workflow>(file);
const FILES = ["terraform.yml", "plan-stack.yml", "apply.yml", "apply-environment.yml"];
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const runs = (w: Workflow) => steps(w).map((s) => s.run ?? "");
const step = (w: Workflow, uses: string) => steps(w).find((s) => s.uses?.startsWith(`${uses}@`));
const AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";
/** The protected branch every environment shares: reusable workflows are pinned to it. */
const PROTECTED_BRANCH = environments[0]?.config.ci.protectedBranch ?? "main";
/** How terraform.yml calls plan-stack.yml: from this repository's protected branch, never a local path. */
const PINNED_PLAN_WORKFLOW = `${organisation.repository}/.github/workflows/plan-stack.yml@${PROTECTED_BRANCH}`;

/** The single-quoted script of the `node -e '…'` in a step, for running it here. */
function inlineScript(run: string | undefined): string {
  const match = /node -e '([\s\S]*?)'/.exec(run ?? "");
  if (!match?.[1]) throw new Error("no node -e script in step");
  return match[1];
}

const scratch = mkdtempSync(join(tmpdir(), "sluice-workflows-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** dev's stacks, synthesized once (cdktf.out/manifest.json and stacks/*), as the workflows read them. */
let devOut = "";
beforeAll(() => {
  devOut = join(scratch, "dev-out");
  const app = new App({ outdir: devOut });
  const dev = environments.find((e) => e.config.name === "dev")?.config;
  if (!dev) throw new Error("no dev environment");
  buildEnvironment(app, dev);
  app.synth();
});

describe("shipped GitHub workflows", () => {
  it.each(FILES)("%s grants only read access by default", (file) => {
    expect(load(file).permissions).toEqual({ contents: "read" });
  });

  it.each(FILES)("%s gives id-token: write only to the jobs that exchange it for an AWS role", (file) => {
    const w = load(file);
    for (const [id, job] of Object.entries(w.jobs)) {
      const callsWorkflow = job.uses !== undefined;
      const usesOidc = callsWorkflow
        ? true // plan-stack.yml and apply-environment.yml, checked by this same test, assume the role
        : (job.steps ?? []).some((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`));
      expect(job.permissions?.["id-token"] === "write", `${file} ${id}`).toBe(usesOidc);
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        const allowed: Record<string, string[]> = {
          "id-token": ["write"],
          contents: ["read"],
          "pull-requests": ["write"],
        };
        expect(allowed[scope], `${file} ${id} ${scope}`).toContain(level);
      }
      if (job.permissions?.["pull-requests"] === "write") expect(id).toBe("comment");
    }
  });

  it.each(FILES.filter((f) => f !== "apply.yml"))(
    "%s runs steps in bash with pipefail, so a failing command piped into tee fails",
    (file) => {
      expect((load(file) as { defaults?: unknown }).defaults).toEqual({ run: { shell: "bash" } });
    },
  );

  it.each(FILES)("%s uses no long-lived AWS keys", (file) => {
    expect(text(file)).not.toMatch(
      /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i,
    );
  });

  it.each(FILES)(
    "%s pins every third-party action to a full commit SHA, with its version in a comment",
    (file) => {
      const lines = text(file)
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const uses = line.replace(/^\s*(-\s+)?uses:\s*/, "").replace(/\s+#.*$/, "");
        if (uses.startsWith("./")) {
          expect(existsSync(join(root, uses)), line).toBe(true);
        } else if (uses === PINNED_PLAN_WORKFLOW) {
          // This repository's own reusable workflow, at the protected branch the plan role's trust names.
          expect(existsSync(join(workflowsDir, "plan-stack.yml"))).toBe(true);
        } else {
          expect(line).toMatch(/^\s*(-\s+)?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        }
      }
    },
  );

  it("run a pull request's plan only where the change can matter: a paths filter covering everything synth reads", () => {
    const filter = load("terraform.yml").on.pull_request?.paths as string[];
    const matches = picomatch(filter, { dot: true });
    // Every source file infra/main.ts reaches through relative imports.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
        visit(resolve(dirname(file), spec ?? ""));
      }
    };
    visit(join(root, "infra/main.ts"));
    expect(seen.size).toBeGreaterThan(20);
    for (const file of [...seen, join(root, "glossary.md"), join(root, "package-lock.json")]) {
      expect(matches(relative(root, file)), relative(root, file)).toBe(true);
    }
    for (const file of ["terraform.yml", "plan-stack.yml"]) {
      expect(matches(`.github/workflows/${file}`), file).toBe(true);
    }
    expect(matches("docs/infrastructure.md")).toBe(false);
    expect(matches("webhook-service/src/app.ts")).toBe(false);
    const apply = load("apply.yml").on.push?.paths as string[];
    expect(apply.filter((p) => !p.startsWith(".github/"))).toEqual(
      filter.filter((p) => !p.startsWith(".github/")),
    );
  });

  it("terraform.yml: test, synth, then plan each stack through plan-stack.yml pinned to the protected branch", () => {
    const w = load("terraform.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const all = runs(w).join("\n");
    for (const command of [
      "npm ci",
      "npm test",
      "npm run synth",
      "npx tsx infra/ci-matrix.ts plan cdktf.out",
    ]) {
      expect(all).toContain(command);
    }
    const plan = w.jobs.plan;
    expect(plan?.uses).toBe(PINNED_PLAN_WORKFLOW);
    for (const { config } of environments) {
      expect(plan?.uses).toBe(
        `${config.tags.repository}/.github/workflows/plan-stack.yml@${config.ci.protectedBranch}`,
      );
    }
    expect(plan?.strategy?.matrix).toEqual({ include: gh("fromJSON(needs.synth.outputs.matrix)") });
    expect(plan?.with).toEqual({
      stack: gh("matrix.stack"),
      environment: gh("matrix.environment"),
      account: gh("matrix.account"),
      region: gh("matrix.region"),
      "runner-project": gh("matrix.runner_project"),
    });
    // Forks get no OIDC token; their PRs are tested and synthesized but not planned.
    expect(plan?.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(w.jobs.comment?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(w.jobs.comment?.needs).toBe("plan");
  });

  it("plan-stack.yml: init, validate, a plan that never takes the state lock, show -json, review", () => {
    const w = load("plan-stack.yml");
    expect(Object.keys(w.on)).toEqual(["workflow_call"]);
    const inputs = (w.on.workflow_call?.inputs ?? {}) as Record<string, unknown>;
    expect(Object.keys(inputs)).toEqual(["stack", "environment", "account", "region", "runner-project"]);
    const all = runs(w).join("\n");
    for (const command of [
      "terraform init -input=false",
      "terraform validate",
      "terraform plan -input=false -lock=false -no-color -out=tfplan",
      "terraform show -json tfplan > plan.json",
      "npx sluice plan review",
    ]) {
      expect(all).toContain(command);
    }
    expect(all).not.toMatch(/-lock-timeout|-lock=true/);
    // The guard and the input checks run before any credential exists.
    const names = (w.jobs.plan?.steps ?? []).map((s) => s.id ?? s.name ?? s.uses ?? s.run);
    const credentials = names.findIndex(
      (n) => String(n).startsWith(`${AWS_CREDENTIALS}@`) || n === "Assume the read-only plan role",
    );
    expect(names.indexOf("guard")).toBeGreaterThan(-1);
    expect(names.indexOf("guard")).toBeLessThan(credentials);
    expect(names.indexOf("Check the inputs")).toBe(0);
  });

  it("route stacks that reach the cluster to the environment's in-VPC runner, the rest to GitHub's", () => {
    const planRunsOn = load("plan-stack.yml").jobs.plan?.["runs-on"];
    expect(planRunsOn).toBe(
      gh(
        "inputs.runner-project != '' && format('codebuild-{0}-{1}-{2}', inputs.runner-project, github.run_id, github.run_attempt) || 'ubuntu-latest'",
      ),
    );
    const apply = load("apply-environment.yml").jobs;
    expect(apply.aws?.["runs-on"]).toBe("ubuntu-latest");
    for (const { config } of environments) {
      const project = runnerProjectName(config.name);
      // The label CodeBuild answers, as the CiRunner construct documents it.
      const label = runnerLabel(project);
      expect(apply.cluster?.["runs-on"]?.replace(gh("needs.aws.outputs.runner_project"), project)).toBe(
        label,
      );
      expect(`codebuild-${project}-${gh("github.run_id")}-${gh("github.run_attempt")}`).toBe(label);
    }
    expect(apply.cluster?.needs).toBe("aws");
    expect(apply.cluster?.if).toBe("needs.aws.outputs.cluster_stacks != ''");
  });

  it("apply.yml applies dev, then staging, then prod, each in its protected environment", () => {
    const w = load("apply.yml");
    expect(Object.keys(w.on)).toEqual(["push", "workflow_dispatch"]);
    expect(w.on.push?.branches).toEqual(["main"]);
    expect(Object.entries(w.jobs).map(([id, j]) => [id, j.with?.environment, j.needs])).toEqual([
      ["dev", "dev", undefined],
      ["staging", "staging", "dev"],
      ["prod", "prod", "staging"],
    ]);
    const called = load("apply-environment.yml");
    expect(called.jobs.aws?.environment).toBe(gh("inputs.environment"));
    expect(called.jobs.cluster?.environment).toBe(gh("inputs.environment"));
    const all = runs(called).join("\n");
    expect(all).toContain('npx tsx infra/ci-matrix.ts apply "$ENVIRONMENT" cdktf.out');
    expect(all).toContain('terraform -chdir="$dir" validate');
    expect(all).toContain('terraform -chdir="$dir" plan -input=false -lock-timeout=5m -no-color -out=tfplan');
    expect(all).toContain('terraform -chdir="$dir" apply -input=false -lock-timeout=5m -no-color tfplan');
    const stacksOf = (job: string) =>
      (called.jobs[job]?.steps ?? []).find((s) => s.run?.includes("terraform -chdir"))?.env?.STACKS;
    expect(stacksOf("aws")).toBe(gh("steps.order.outputs.aws_stacks"));
    expect(stacksOf("cluster")).toBe(gh("needs.aws.outputs.cluster_stacks"));
  });

  it("assume the roles CiIdentity creates, in each environment's own account and region", () => {
    const stack = testStack("staging", "staging-bootstrap");
    const ci = new CiIdentity(stack, "ci", {
      repository: "acme/platform",
      stateBucketArn: "arn:aws:s3:::staging-tfstate-222222222222",
      stateKmsKeyArn: "arn:aws:kms:eu-west-1:222222222222:key/0f0e0d0c-0000-4000-8000-000000000000",
    });
    const credentials = (file: string, job: string) =>
      (load(file).jobs[job]?.steps ?? []).find((s) => s.uses?.startsWith(`${AWS_CREDENTIALS}@`))?.with ?? {};
    const fill = (value: unknown) =>
      String(value)
        .replace(gh("inputs.account"), "222222222222")
        .replace(gh("steps.order.outputs.account"), "222222222222")
        .replace(gh("needs.aws.outputs.account"), "222222222222")
        .replace(gh("inputs.environment"), "staging");
    expect(fill(credentials("plan-stack.yml", "plan")["role-to-assume"])).toBe(
      `arn:aws:iam::222222222222:role/${ci.planRoleName}`,
    );
    expect(credentials("plan-stack.yml", "plan")["aws-region"]).toBe(gh("inputs.region"));
    for (const job of ["aws", "cluster"]) {
      expect(fill(credentials("apply-environment.yml", job)["role-to-assume"])).toBe(
        `arn:aws:iam::222222222222:role/${ci.applyRoleName}`,
      );
    }
    expect(credentials("apply-environment.yml", "aws")["aws-region"]).toBe(gh("steps.order.outputs.region"));
    expect(credentials("apply-environment.yml", "cluster")["aws-region"]).toBe(
      gh("needs.aws.outputs.region"),
    );
    for (const file of FILES) expect(text(file)).not.toContain("vars.AWS_ACCOUNT_ID");
  });

  it.each(["plan-stack.yml", "apply-environment.yml"])(
    "%s installs a Terraform with S3 lock files (>= 1.11)",
    (file) => {
      const version = load(file).env?.TERRAFORM_VERSION ?? "";
      const [major, minor] = version.split(".").map(Number);
      expect(major).toBe(1);
      expect(minor).toBeGreaterThanOrEqual(11);
      expect(step(load(file), "hashicorp/setup-terraform")?.with?.terraform_version).toBe(
        gh("env.TERRAFORM_VERSION"),
      );
    },
  );
});

describe("plan-stack.yml's guard against code that runs at plan time", () => {
  const guard = () => inlineScript(steps(load("plan-stack.yml")).find((s) => s.id === "guard")?.run);
  /** Runs the guard over `json` as stack `name`; returns its stderr, or "" when it lets the plan run. */
  function check(json: unknown, name = "dev-network"): string {
    const cwd = mkdtempSync(join(scratch, "guard-"));
    mkdirSync(join(cwd, "cdktf.out/stacks", name), { recursive: true });
    writeFileSync(join(cwd, "cdktf.out/stacks", name, "cdk.tf.json"), JSON.stringify(json));
    try {
      execFileSync(process.execPath, ["-e", guard(), name], { cwd, encoding: "utf8", stdio: "pipe" });
      return "";
    } catch (error) {
      return String((error as { stderr?: string }).stderr);
    }
  }
  const synthesized = (stack: string) =>
    JSON.parse(readFileSync(join(devOut, "stacks", stack, "cdk.tf.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;

  it("lets every synthesized stack through", () => {
    for (const stack of ["dev-network", "dev-platform", "dev-gitops"])
      expect(check(synthesized(stack), stack)).toBe("");
  });

  it("refuses external programs, provisioners, modules, foreign providers and other backends", () => {
    const base = synthesized("dev-network");
    expect(check({ ...base, data: { external: { x: { program: ["sh", "-c", "env"] } } } })).toMatch(
      /dev-network: data "external" runs a program at plan time/,
    );
    expect(
      check({
        ...base,
        resource: { terraform_data: { x: { provisioner: [{ "local-exec": { command: "id" } }] } } },
      }),
    ).toMatch(/terraform_data\.x has a provisioner/);
    expect(check({ ...base, module: { m: { source: "git::https://example.com/m.git" } } })).toMatch(
      /module blocks/,
    );
    const terraform = base.terraform ?? {};
    expect(
      check({
        ...base,
        terraform: {
          ...terraform,
          required_providers: { evil: { source: "attacker/evil", version: "1.0.0" } },
        },
      }),
    ).toMatch(/provider evil \(attacker\/evil\) is not one of/);
    expect(
      check({ ...base, terraform: { ...terraform, backend: { http: { address: "https://example.com" } } } }),
    ).toMatch(/backend must be s3, got http/);
  });
});

describe("infra/ci-matrix.ts", () => {
  it("plans every stack but bootstrap with its environment's account and region, cluster stacks on the runner", () => {
    const dev = environments.find((e) => e.config.name === "dev")?.config;
    if (!dev) throw new Error("no dev");
    const other = { ...dev, name: "prod" as const, account: "999999999999", region: "eu-central-1" };
    expect(planMatrix(devOut, [other, dev])).toEqual([
      {
        stack: "dev-gitops",
        environment: "dev",
        account: dev.account,
        region: dev.region,
        runner_project: "dev-ci-runner",
      },
      {
        stack: "dev-network",
        environment: "dev",
        account: dev.account,
        region: dev.region,
        runner_project: "",
      },
      {
        stack: "dev-platform",
        environment: "dev",
        account: dev.account,
        region: dev.region,
        runner_project: "",
      },
    ]);
    expect(() => planMatrix(devOut, [other])).toThrow(/stack 'dev-gitops' belongs to no environment/);
    const output = run(["plan", devOut], [dev]);
    expect(output).toMatch(/^matrix=\[.*\]\n$/);
  });

  it("orders an environment's apply by dependency, AWS-only stacks first, and refuses cycles", () => {
    const configs = environments.map((e) => e.config);
    expect(applyPlan(devOut, configs, "dev")).toEqual({
      account: "111111111111",
      region: "eu-west-1",
      awsStacks: ["dev-network", "dev-platform"],
      clusterStacks: ["dev-gitops"],
      runnerProject: "dev-ci-runner",
    });
    expect(run(["apply", "dev", devOut], configs)).toBe(
      "account=111111111111\nregion=eu-west-1\naws_stacks=dev-network dev-platform\ncluster_stacks=dev-gitops\nrunner_project=dev-ci-runner\n",
    );
    expect(() => applyPlan(devOut, configs, "qa")).toThrow(
      "unknown environment 'qa', expected one of dev, staging, prod",
    );
    expect(
      orderByDependencies({
        "prod-gitops": ["prod-platform"],
        "prod-platform": ["prod-network", "prod-bootstrap"],
        "prod-network": [],
      }),
    ).toEqual(["prod-network", "prod-platform", "prod-gitops"]);
    expect(() => orderByDependencies({ "dev-a": ["dev-b"], "dev-b": ["dev-a"] })).toThrow(
      "stack dependency cycle among: dev-a, dev-b",
    );
  });
});
