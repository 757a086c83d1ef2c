import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { environments } from "../../environments/index.ts";
import { registryTarget, run } from "../../infra/ci-matrix.ts";
import { Registry } from "../registry/registry.ts";
import { resources, synthStack, testStack } from "../test/stack.ts";
import { gh, loadWorkflow, repositoryRoot, workflowText } from "../test/workflows.ts";
import { CiIdentity, REGISTRY_WORKFLOWS } from "./ci-identity.ts";

/**
 * The image workflows (build.yml, promote.yml) checked offline against what they rely on: the registry
 * role CiIdentity creates and trusts them with, the repositories Registry creates, the files each
 * Dockerfile copies, the promotion order `sluice promote` enforces, and the chat notices.
 */

const root = repositoryRoot;
interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
}
interface Job {
  needs?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: Record<string, string>[]; service?: string[] } };
  steps?: Step[];
}
interface Workflow {
  on: Record<
    string,
    { branches?: string[]; paths?: string[]; inputs?: Record<string, { options?: string[] }> }
  >;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}
const text = workflowText;
const load = (file: string) => loadWorkflow<Workflow>(file);
const order = environments.map((e) => e.config.name);
const build = load("build.yml");
const promote = load("promote.yml");
const services = (build.jobs.image?.strategy?.matrix?.include ?? []).map((entry) => entry.service ?? "");

describe("build.yml", () => {
  it("builds on merges to main that change what goes into an image", () => {
    expect(build.on.push?.branches).toEqual(["main"]);
    const paths = build.on.push?.paths ?? [];
    for (const entry of build.jobs.image?.strategy?.matrix?.include ?? []) {
      const dockerfile = entry.dockerfile ?? "";
      expect(paths).toContain(`${dockerfile.split("/")[0]}/**`);
      // Every file the image copies from the build context (not from another stage) triggers a build.
      const copied = readFileSync(join(root, dockerfile), "utf8")
        .split("\n")
        .filter((line) => /^COPY\s/.test(line) && !line.includes("--from="))
        .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
      expect(copied.length).toBeGreaterThan(0);
      for (const source of copied) {
        const top = source.replace(/\/.*$/, "");
        expect(paths.some((p) => p === source || p === `${top}/**`)).toBe(true);
      }
    }
    expect(paths).toContain(".github/workflows/build.yml");
  });

  it("puts in each image every file its apps' values point at (the RDS CA bundle of sslrootcert)", () => {
    for (const entry of build.jobs.image?.strategy?.matrix?.include ?? []) {
      const dockerfile = readFileSync(join(root, entry.dockerfile ?? ""), "utf8");
      const added = dockerfile
        .split("\n")
        .filter((line) => /^(ADD|COPY)\s/.test(line))
        .map((line) => line.trim().split(/\s+/).at(-1));
      for (const env of order) {
        const values = parse(readFileSync(join(root, "gitops", "envs", env, "values.yaml"), "utf8")) as {
          apps: Record<string, { values?: { env?: Record<string, string> } }>;
        };
        const url = values.apps[entry.service ?? ""]?.values?.env?.DATABASE_URL ?? "";
        const rootcert = new URL(url.replace(/@\//, "@host/") || "postgres://x").searchParams.get(
          "sslrootcert",
        );
        if (rootcert) expect(added, `${env}: ${entry.service} reads ${rootcert}`).toContain(rootcert);
      }
    }
  });

  it("builds each service whose ECR repository every environment has, and opens dev's pull request for the same list", () => {
    expect(services.length).toBeGreaterThan(0);
    expect(build.jobs["dev-pull-request"]?.strategy?.matrix?.service).toEqual(services);
    for (const { config } of environments) {
      for (const service of services) expect(config.registry.repositories).toContain(service);
    }
  });

  it("pushes with provenance and SBOM attestations, keeps digest, scan and SBOM, and opens the pull request for the first environment", () => {
    const image = build.jobs.image?.steps ?? [];
    const push = image.find((s) => s.uses?.startsWith("docker/build-push-action@"));
    expect(push?.with).toMatchObject({ push: true, provenance: "mode=max", sbom: true, context: "." });
    const all = image.map((s) => s.run ?? "").join("\n");
    expect(all).toContain("aws ecr describe-image-scan-findings");
    expect(all).toContain("image/sbom.spdx.json");
    expect(all).toContain("image/digest.txt");
    expect(image.find((s) => s.uses?.startsWith("actions/upload-artifact@"))?.with?.path).toBe("image/");
    expect(build.env.FIRST_ENVIRONMENT).toBe(order[0]);
    const pr = (build.jobs["dev-pull-request"]?.steps ?? []).find((s) => s.run?.includes("sluice promote"));
    expect(pr?.run).toBe(
      'npx sluice promote "$SERVICE" --digest "$(cat image/digest.txt)" --to "$FIRST_ENVIRONMENT" --pr --base "$GITHUB_REF_NAME"',
    );
    expect(pr?.env?.GITHUB_TOKEN).toBe(gh("steps.bot.outputs.token"));
    expect(build.jobs["dev-pull-request"]?.permissions).toEqual({ contents: "read" });
  });
});

describe("promote.yml", () => {
  it("offers exactly the one-step promotions sluice promote accepts", () => {
    const inputs = promote.on.workflow_dispatch?.inputs ?? {};
    expect(inputs.from?.options).toEqual(order.slice(0, -1));
    expect(inputs.to?.options).toEqual(order.slice(1));
  });

  it("copies the digest before the pull request, which must name that same digest", () => {
    expect(promote.jobs["pull-request"]?.needs).toBe("copy");
    const all = (promote.jobs.copy?.steps ?? []).map((s) => s.run ?? "").join("\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    expect(all).toContain('"$crane" copy "$SOURCE@$DIGEST" "$TARGET:${DIGEST/:/-}"');
    expect(all).toContain('"$crane" digest "$TARGET@$DIGEST"');
    const pr = (promote.jobs["pull-request"]?.steps ?? []).find((s) => s.run?.includes("--pr"));
    expect(pr?.run).toContain('--expect-digest "$COPIED"');
    expect(pr?.env?.COPIED).toBe(gh("needs.copy.outputs.digest"));
  });
});

describe("the registry role the image workflows assume", () => {
  const target = (env: string, repo: string) =>
    registryTarget(
      environments.map((e) => e.config),
      env,
      repo,
    );

  it("is trusted for exactly the workflows that assume it", () => {
    const assuming = [
      "build.yml",
      "promote.yml",
      "apply.yml",
      "apply-environment.yml",
      "plan-stack.yml",
    ].filter((file) => /steps\.[\w-]+\.outputs\.(source_|target_)?role/.test(text(file)));
    expect(assuming.map((f) => `.github/workflows/${f}`)).toEqual([...REGISTRY_WORKFLOWS]);
  });

  it("is the role and repository CiIdentity and Registry create, in each environment's account", () => {
    for (const { config } of environments) {
      const stack = testStack(config.name, `${config.name}-bootstrap`);
      const ci = new CiIdentity(stack, "ci", {
        repository: config.tags.repository,
        stateBucketArn: `arn:aws:s3:::${config.name}-tfstate-${config.account}`,
        stateKmsKeyArn: `arn:aws:kms:${config.region}:${config.account}:key/0f0e0d0c-0000-4000-8000-000000000000`,
        registryWorkflows: REGISTRY_WORKFLOWS,
      });
      const platform = testStack(config.name, `${config.name}-platform`);
      new Registry(platform, "registry", { repositories: config.registry.repositories });
      const names = Object.values(resources(synthStack(platform), "aws_ecr_repository")).map((r) => r.name);
      for (const service of services) {
        const t = target(config.name, service);
        expect(t.role).toBe(ci.registryRoleName);
        expect(names).toContain(t.repository);
        expect(t.image).toBe(`${config.account}.dkr.ecr.${config.region}.amazonaws.com/${t.repository}`);
      }
    }
  });

  it("is found by ci-matrix.ts, which refuses an unknown environment or repository", () => {
    expect(
      run(
        ["registry", "dev", "webhook"],
        environments.map((e) => e.config),
      ),
    ).toMatch(
      /^account=\d{12}\nregion=[a-z0-9-]+\nregistry=\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\nrepository=dev-webhook\nimage=.+\/dev-webhook\nrole=dev-ci-registry\n$/,
    );
    expect(() => target("qa", "webhook")).toThrow(
      "unknown environment 'qa', expected one of dev, staging, prod",
    );
    expect(() => target("dev", "payments")).toThrow("environment 'dev' has no ECR repository 'payments'");
  });
});

describe("chat notices in the workflows", () => {
  const all = ["build.yml", "promote.yml", "apply-environment.yml", "terraform.yml"];

  it("post every pipeline stage somewhere, failures only on failure, never failing the job", () => {
    const notices = all.flatMap((file) =>
      Object.values(load(file).jobs).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.run?.includes("sluice notify"))
          .map((step) => ({ file, job, step })),
      ),
    );
    const stages = new Set(
      notices.flatMap(({ step }) => [...(step.run ?? "").matchAll(/--stage ([a-z-]+)/g)].map((m) => m[1])),
    );
    expect([...stages].sort()).toEqual(["applied", "approved", "deployed", "failed", "plan-ready"]);
    for (const { file, job, step } of notices) {
      expect(step["continue-on-error"], `${file}: ${step.name}`).toBe(true);
      expect(step.env?.SLACK_WEBHOOK_URL ?? job.env?.SLACK_WEBHOOK_URL).toBe(gh("secrets.SLACK_WEBHOOK_URL"));
      if (/--stage failed/.test(step.run ?? "") && !/--stage plan-ready/.test(step.run ?? "")) {
        expect(step.if, `${file}: ${step.name}`).toBe("failure()");
      }
    }
  });
});
