import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { testStack } from "../test/stack.ts";
import { CiIdentity } from "./ci-identity.ts";

/**
 * The GitHub workflows shipped for users (.github/workflows) run on GitHub, not here, so this
 * checks what can be checked offline: their security settings, their steps, that they assume the
 * roles CiIdentity creates, and the inline scripts they run.
 */

const root = resolve(import.meta.dirname, "../..");
const workflowsDir = join(root, ".github/workflows");

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
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** A GitHub expression as written in a workflow, e.g. gh("inputs.environment"). */
const gh = (expression: string) => `\${{ ${expression} }}`;
const text = (file: string) => readFileSync(join(workflowsDir, file), "utf8");
const load = (file: string) => parse(text(file)) as Workflow;
const FILES = ["terraform.yml", "apply.yml", "apply-environment.yml"];
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const runs = (w: Workflow) => steps(w).map((s) => s.run ?? "");
const step = (w: Workflow, uses: string) => steps(w).find((s) => s.uses?.startsWith(`${uses}@`));

/** The single-quoted script of the `node -e '…'` in a step, for running it here. */
function inlineScript(run: string | undefined): string {
  const match = /node -e '([\s\S]*?)'/.exec(run ?? "");
  if (!match?.[1]) throw new Error("no node -e script in step");
  return match[1];
}

const scratch = mkdtempSync(join(tmpdir(), "sluice-workflows-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function withManifest(stacks: Record<string, string[]>): string {
  const dir = mkdtempSync(join(scratch, "out-"));
  const manifest = {
    version: "0.21.0",
    stacks: Object.fromEntries(
      Object.entries(stacks).map(([name, dependencies]) => [name, { name, dependencies, annotations: [] }]),
    ),
  };
  mkdirSync(join(dir, "cdktf.out"));
  writeFileSync(join(dir, "cdktf.out/manifest.json"), JSON.stringify(manifest));
  return dir;
}

describe("shipped GitHub workflows", () => {
  it.each(FILES)("%s asks only for an OIDC token and read access to the code", (file) => {
    const w = load(file);
    expect(w.permissions).toEqual({ "id-token": "write", contents: "read" });
    for (const job of Object.values(w.jobs)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect([scope, level]).toEqual(
          scope === "pull-requests"
            ? ["pull-requests", "write"]
            : [scope, expect.stringMatching(/^(read|none)$/)],
        );
      }
    }
  });

  it.each(FILES)("%s uses no long-lived AWS keys", (file) => {
    expect(text(file)).not.toMatch(
      /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i,
    );
    for (const s of steps(load(file))) {
      expect(Object.keys(s.with ?? {})).not.toContain("aws-access-key-id");
      expect(Object.keys(s.with ?? {})).not.toContain("aws-secret-access-key");
    }
  });

  it.each(FILES)("%s pins every action to a version tag or commit SHA", (file) => {
    const w = load(file);
    const used = [...steps(w).map((s) => s.uses), ...Object.values(w.jobs).map((j) => j.uses)].filter(
      (u): u is string => u !== undefined,
    );
    expect(used.length).toBeGreaterThan(0);
    for (const uses of used) {
      if (uses.startsWith("./")) {
        expect(existsSync(join(root, uses))).toBe(true);
        continue;
      }
      expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it("terraform.yml plans every stack on pull requests: synth, init, validate, plan -out, show -json, review", () => {
    const w = load("terraform.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const all = runs(w).join("\n");
    for (const command of [
      "npm ci",
      "npm run synth",
      "terraform init",
      "terraform validate",
      "terraform plan -input=false -lock-timeout=5m -no-color -out=tfplan",
      "terraform show -json tfplan > plan.json",
      "npx sluice plan review",
    ]) {
      expect(all).toContain(command);
    }
    expect(step(w, "hashicorp/setup-terraform")).toBeDefined();
    // Forks get no OIDC token; their PRs are not planned.
    expect(w.jobs.plan?.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(w.jobs.comment?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("apply.yml applies dev, then staging, then prod, each in its protected environment", () => {
    const w = load("apply.yml");
    expect(Object.keys(w.on)).toEqual(["push", "workflow_dispatch"]);
    expect(w.on.push).toEqual({ branches: ["main"] });
    expect(Object.entries(w.jobs).map(([id, j]) => [id, j.with?.environment, j.needs])).toEqual([
      ["dev", "dev", undefined],
      ["staging", "staging", "dev"],
      ["prod", "prod", "staging"],
    ]);
    const called = load("apply-environment.yml");
    expect(called.jobs.apply?.environment).toBe(gh("inputs.environment"));
    const all = runs(called).join("\n");
    expect(all).toContain('terraform -chdir="$dir" validate');
    expect(all).toContain('terraform -chdir="$dir" plan -input=false -lock-timeout=5m -no-color -out=tfplan');
    expect(all).toContain('terraform -chdir="$dir" apply -input=false -lock-timeout=5m -no-color tfplan');
  });

  it("assume the roles CiIdentity creates: plan on pull requests, apply in the environment", () => {
    const stack = testStack("staging", "staging-bootstrap");
    const ci = new CiIdentity(stack, "ci", {
      repository: "acme/platform",
      stateBucketArn: "arn:aws:s3:::staging-tfstate-111111111111",
      stateKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0f0e0d0c-0000-4000-8000-000000000000",
    });
    const roleArn = (file: string, environment: string) =>
      String(step(load(file), "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"])
        .replace(gh("steps.env.outputs.environment"), environment)
        .replace(gh("inputs.environment"), environment)
        .replace(gh("vars.AWS_ACCOUNT_ID"), "111111111111");
    expect(roleArn("terraform.yml", "staging")).toBe(`arn:aws:iam::111111111111:role/${ci.planRoleName}`);
    expect(roleArn("apply-environment.yml", "staging")).toBe(
      `arn:aws:iam::111111111111:role/${ci.applyRoleName}`,
    );
  });

  it.each(["terraform.yml", "apply-environment.yml"])(
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

  it("terraform.yml plans every stack but the bootstrap stacks", () => {
    const script = inlineScript(steps(load("terraform.yml")).find((s) => s.id === "stacks")?.run);
    const cwd = withManifest({
      "dev-bootstrap": [],
      "dev-network": [],
      "prod-network": [],
      "dev-platform": ["dev-network"],
    });
    const out = execFileSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(["dev-network", "dev-platform", "prod-network"]);
  });

  it("apply-environment.yml orders one environment's stacks by dependency and refuses cycles", () => {
    const script = inlineScript(steps(load("apply-environment.yml")).find((s) => s.id === "order")?.run);
    const order = (stacks: Record<string, string[]>, environment: string) =>
      execFileSync(process.execPath, ["-e", script, environment], {
        cwd: withManifest(stacks),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }).trim();
    const stacks = {
      "prod-gitops": ["prod-platform"],
      "prod-platform": ["prod-network", "prod-bootstrap"],
      "prod-network": [],
      "prod-bootstrap": [],
      "dev-network": [],
    };
    expect(order(stacks, "prod")).toBe("prod-network prod-platform prod-gitops");
    expect(order(stacks, "dev")).toBe("dev-network");
    expect(() => order({ "dev-a": ["dev-b"], "dev-b": ["dev-a"] }, "dev")).toThrow(
      /dependency cycle among: dev-a, dev-b/,
    );
  });
});
