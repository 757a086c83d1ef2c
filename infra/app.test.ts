import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { readSynthesizedStacks } from "../cli/synth-output.ts";
import { memoryIo } from "../cli/test/memory-io.ts";
import { secureDefaultRules } from "../core/rules/index.ts";
import { runRules } from "../core/rules/run.ts";
import type { SynthesizedStack } from "../core/rules/types.ts";
import { dev as devConfig } from "../environments/dev.ts";
import { type EnvironmentConfig, environments } from "../environments/index.ts";
import { evaluate } from "../modules/ci-identity/test/evaluate.ts";
import { ADDON_VERSIONS } from "../modules/cluster/versions.ts";
import { DEFAULT_ARGOCD_CHART_VERSION } from "../modules/gitops-bootstrap/gitops-bootstrap.ts";
import { buildEnvironment, buildPlatform } from "./app.ts";

const outdir = mkdtempSync(join(tmpdir(), "sluice-infra-"));
let stacks: SynthesizedStack[] = [];

function stack(name: string): SynthesizedStack {
  const found = stacks.find((s) => s.name === name);
  if (!found) throw new Error(`no stack ${name} in ${stacks.map((s) => s.name).join(", ")}`);
  return found;
}

function resources(name: string, type: string): Record<string, Record<string, unknown>> {
  return (stack(name).json.resource?.[type] ?? {}) as Record<string, Record<string, unknown>>;
}

beforeAll(() => {
  const app = new App({ outdir });
  buildPlatform(
    app,
    environments.map((e) => e.config),
  );
  app.synth();
  stacks = readSynthesizedStacks(outdir, process.cwd());
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("the platform app", () => {
  it("writes bootstrap, network, platform and gitops stacks for every environment", () => {
    const names = stacks.map((s) => s.name).sort();
    for (const env of ["dev", "staging", "prod"])
      for (const role of ["bootstrap", "network", "platform", "gitops"])
        expect(names).toContain(`${env}-${role}`);
    expect(names).toHaveLength(12);
  });

  it("declares the apply order bootstrap → network → platform → gitops as stack dependencies", () => {
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    for (const env of ["dev", "staging", "prod"]) {
      const deps = (role: string) => [...(manifest.stacks[`${env}-${role}`]?.dependencies ?? [])].sort();
      expect(deps("bootstrap")).toEqual([]);
      expect(deps("network")).toEqual([`${env}-bootstrap`]);
      expect(deps("platform")).toEqual([`${env}-bootstrap`, `${env}-network`]);
      expect(deps("gitops")).toEqual([`${env}-bootstrap`, `${env}-network`, `${env}-platform`]);
    }
  });

  it("reports no secure-default rule violation on any environment", () => {
    expect(runRules(stacks, secureDefaultRules)).toEqual([]);
  });

  it("uses only glossary names: sluice glossary check passes on the synthesized output", async () => {
    const io = memoryIo();
    const code = await main(["glossary", "check", outdir], io.io);
    expect(io.stdout + io.stderr).not.toMatch(/unknown-token|deprecated|too-long/);
    expect(code).toBe(0);
  });

  it("keeps each stack's state under its own key in its environment's encrypted, lock-file-locked bucket", () => {
    const keys = new Set<string>();
    for (const s of stacks.filter((x) => !x.name.endsWith("-bootstrap"))) {
      const s3 = (s.json.terraform?.backend as { s3?: Record<string, unknown> } | undefined)?.s3;
      expect(s3, s.name).toBeDefined();
      expect(s3?.encrypt).toBe(true);
      expect(s3?.use_lockfile).toBe(true);
      expect(s3?.dynamodb_table).toBeUndefined();
      expect(String(s3?.bucket)).toContain(s.name.split("-")[0]);
      keys.add(String(s3?.key));
    }
    expect(keys.size).toBe(9);
  });

  it("tags every taggable resource through provider default tags", () => {
    for (const s of stacks) {
      const aws = (s.json.provider?.aws ?? [])[0] as
        | { default_tags?: { tags: Record<string, string> }[] }
        | undefined;
      const tags = aws?.default_tags?.[0]?.tags ?? {};
      expect(Object.keys(tags).sort(), s.name).toEqual([
        "cost-centre",
        "environment",
        "managed-by",
        "owner-team",
        "repository",
      ]);
      expect(tags.environment).toBe(s.name.split("-")[0]);
    }
  });

  it("pins each environment's provider to its own account", () => {
    for (const { config } of environments) {
      const aws = (stack(`${config.name}-platform`).json.provider?.aws ?? [])[0] as {
        allowed_account_ids?: string[];
      };
      expect(aws.allowed_account_ids).toEqual([config.account]);
    }
  });

  it("right-sizes dev and protects prod", () => {
    expect(Object.keys(resources("dev-network", "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resources("prod-network", "aws_nat_gateway"))).toHaveLength(3);
    const devDb = Object.values(resources("dev-platform", "aws_db_instance"))[0];
    const prodDb = Object.values(resources("prod-platform", "aws_db_instance"))[0];
    expect(devDb?.instance_class).toBe("db.t4g.micro");
    expect(devDb?.multi_az).toBe(false);
    expect(prodDb?.multi_az).toBe(true);
    expect(prodDb?.deletion_protection).toBe(true);
    expect(Number(prodDb?.backup_retention_period)).toBeGreaterThanOrEqual(14);
  });

  it("gives every role outside bootstrap its own environment's boundary, which bootstrap creates", () => {
    let roles = 0;
    for (const { config } of environments) {
      const arn = `arn:aws:iam::${config.account}:policy/${config.name}-role-boundary`;
      const boundaries = Object.values(resources(`${config.name}-bootstrap`, "aws_iam_policy"));
      expect(boundaries.map((p) => p.name)).toContain(`${config.name}-role-boundary`);
      for (const role of ["network", "platform", "gitops"]) {
        for (const [name, block] of Object.entries(resources(`${config.name}-${role}`, "aws_iam_role"))) {
          expect(block.permissions_boundary, `${config.name}-${role} ${name}`).toBe(arn);
          roles++;
        }
      }
      for (const block of Object.values(resources(`${config.name}-bootstrap`, "aws_iam_role")))
        expect(block.permissions_boundary).toBeUndefined();
    }
    // Flow-log role per environment plus the cluster, node, EBS CSI and observability roles.
    expect(roles).toBeGreaterThanOrEqual(environments.length * 5);
  });

  it("runs each cluster at its environment's version and explicit support type, with that version's add-ons", () => {
    for (const { config } of environments) {
      const cluster = Object.values(resources(`${config.name}-platform`, "aws_eks_cluster"))[0];
      expect(cluster?.version).toBe(config.cluster.kubernetesVersion);
      expect(cluster?.upgrade_policy).toEqual({ support_type: config.cluster.supportType });
      const pinned = ADDON_VERSIONS[config.cluster.kubernetesVersion] ?? {};
      for (const addon of Object.values(resources(`${config.name}-platform`, "aws_eks_addon"))) {
        expect(addon.addon_version).toBe(pinned[addon.addon_name as keyof typeof pinned]);
      }
    }
  });

  it("installs one Argo CD chart release everywhere: the construct's default is every environment's pin", () => {
    for (const { config } of environments) {
      expect(config.gitops.argoCdChartVersion).toBe(DEFAULT_ARGOCD_CHART_VERSION);
      const releases = Object.values(resources(`${config.name}-gitops`, "helm_release"));
      expect(releases.find((r) => r.chart === "argo-cd")?.version).toBe(DEFAULT_ARGOCD_CHART_VERSION);
    }
  });

  it("gives CI a runner inside each VPC that may reach the cluster API, which the gitops providers call with fresh tokens", () => {
    for (const { config } of environments) {
      const projects = Object.values(resources(`${config.name}-platform`, "aws_codebuild_project"));
      expect(projects.map((p) => p.name)).toEqual([`${config.name}-ci-runner`]);
      const vpc = projects[0]?.vpc_config as Record<string, unknown>;
      const cluster = Object.entries(resources(`${config.name}-platform`, "aws_eks_cluster"))[0];
      // In the same subnets as the cluster (the app subnets), admitted on 443 by the cluster's security group.
      const clusterVpc = (cluster?.[1].vpc_config ?? {}) as Record<string, unknown>;
      expect(vpc.subnets).toEqual(clusterVpc.subnet_ids);
      expect(vpc.subnets).toBeDefined();
      const ingress = Object.values(
        resources(`${config.name}-platform`, "aws_vpc_security_group_ingress_rule"),
      );
      expect(ingress).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            security_group_id: `\${aws_eks_cluster.${cluster?.[0]}.vpc_config[0].cluster_security_group_id}`,
            from_port: 443,
            to_port: 443,
            referenced_security_group_id: (vpc.security_group_ids as string[])[0],
          }),
        ]),
      );
      const gitops = stack(`${config.name}-gitops`).json;
      expect(gitops.data?.aws_eks_cluster_auth).toBeUndefined();
      const exec = ((gitops.provider?.kubernetes ?? [])[0] as { exec?: Record<string, unknown>[] }).exec?.[0];
      expect(exec).toEqual({
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          `${config.name}-eks-cluster`,
          "--region",
          config.region,
          "--output",
          "json",
        ],
      });
      expect(
        ((gitops.provider?.helm ?? [])[0] as { kubernetes?: { exec?: unknown } }).kubernetes?.exec,
      ).toEqual(exec);
    }
  });

  it("lets the apply role create the runner, and the runner's role (inside the boundary) use the GitHub connection", () => {
    for (const { config } of environments) {
      const apply = inlinePolicies(config.name, config.account, `${config.name}-ci-apply`);
      const request = {
        action: "codebuild:CreateProject",
        resource: "*",
        context: { "aws:RequestedRegion": config.region },
      };
      expect(apply.map((p) => evaluate(p, request))).toContain("allow");
      const boundary = Object.values(resources(`${config.name}-bootstrap`, "aws_iam_policy")).find(
        (p) => p.name === `${config.name}-role-boundary`,
      );
      const use = {
        action: "codeconnections:GetConnectionToken",
        resource: config.ci.githubConnectionArn,
        context: { "aws:RequestedRegion": config.region },
      };
      expect(
        evaluate(String(boundary?.policy).replace(/\$\{data\.aws_partition\.[^}]+\}/g, "aws"), use),
      ).toBe("allow");
    }
  });

  it("puts the Kubernetes and Helm providers only in the gitops stacks", () => {
    for (const s of stacks) {
      const providers = Object.keys(s.json.provider ?? {});
      const isGitops = s.name.endsWith("-gitops");
      expect(providers.includes("kubernetes"), s.name).toBe(isGitops);
      expect(providers.includes("helm"), s.name).toBe(isGitops);
    }
  });
});

/**
 * The inline policies of the bootstrap stack's role named `roleName`, with the partition and account
 * data sources replaced by the environment's literal values so they can be evaluated.
 */
function inlinePolicies(envName: string, account: string, roleName: string): string[] {
  const roles = resources(`${envName}-bootstrap`, "aws_iam_role");
  const key = Object.entries(roles).find(([, r]) => r.name === roleName)?.[0];
  if (!key) throw new Error(`no role ${roleName} in ${envName}-bootstrap`);
  return Object.values(resources(`${envName}-bootstrap`, "aws_iam_role_policy"))
    .filter((p) => String(p.role).includes(`aws_iam_role.${key}.`))
    .map((p) =>
      String(p.policy)
        .replace(/\$\{data\.aws_partition\.[^}]+\}/g, "aws")
        .replace(/\$\{data\.aws_caller_identity\.[^}]+\}/g, account),
    );
}

describe("what the CI roles can read", () => {
  it("lets each environment's plan and apply roles read every SSM parameter its stacks look up", () => {
    for (const { config } of environments) {
      const names = stacks
        .filter((s) => s.name.startsWith(`${config.name}-`))
        .flatMap((s) =>
          Object.values(
            ((s.json.data as Record<string, Record<string, Record<string, unknown>>> | undefined)
              ?.aws_ssm_parameter ?? {}) as Record<string, Record<string, unknown>>,
          ).map((d) => String(d.name)),
        );
      for (const name of names) {
        const arn = `arn:aws:ssm:${config.region}:${config.account}:parameter/${name.replace(/^\//, "")}`;
        for (const role of [`${config.name}-ci-plan`, `${config.name}-ci-apply`]) {
          const policies = inlinePolicies(config.name, config.account, role);
          for (const action of ["ssm:GetParameter", "ssm:GetParameters"]) {
            const decisions = policies.map((p) => evaluate(p, { action, resource: arn }));
            expect(decisions, `${role} ${action} ${name}`).toContain("allow");
            expect(decisions, `${role} ${action} ${name}`).not.toContain("deny");
          }
        }
      }
    }
    // Alarms reach Slack through AWS Chatbot now, so no stack reads a parameter today: this guards the next
    // data source (ci-identity.test.ts pins that readableParameterNames become readable).
  });
});

describe("the bootstrap stack's own state", () => {
  const dev: EnvironmentConfig = devConfig;
  /** Synthesizes dev's bootstrap stack alone with `ci` settings replaced. */
  function bootstrapWith(ci: Partial<EnvironmentConfig["ci"]>): SynthesizedStack {
    const dir = mkdtempSync(join(tmpdir(), "sluice-bootstrap-"));
    try {
      const app = new App({ outdir: dir });
      buildEnvironment(app, { ...dev, ci: { ...dev.ci, ...ci } });
      app.synth();
      const found = readSynthesizedStacks(dir, process.cwd()).find((s) => s.name === "dev-bootstrap");
      if (!found) throw new Error("no dev-bootstrap stack");
      return found;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const backend = (s: SynthesizedStack) =>
    s.json.terraform?.backend as Record<string, Record<string, unknown>>;

  it("is local for the first apply, then its own key in the bucket it created, as the config says", () => {
    expect(Object.keys(backend(bootstrapWith({ bootstrapState: "local" })))).toEqual(["local"]);
    const s3 = backend(bootstrapWith({ bootstrapState: "s3" }));
    expect(Object.keys(s3)).toEqual(["s3"]);
    const network = (backend(stack("dev-network")).s3 ?? {}) as Record<string, unknown>;
    expect(s3.s3).toEqual({ ...network, key: "dev-bootstrap/terraform.tfstate" });
    // The shipped environments start local: no bucket exists before the first apply.
    for (const { config } of environments) {
      expect(Object.keys(backend(stack(`${config.name}-bootstrap`)))).toEqual(["local"]);
    }
  });

  it("trusts an existing GitHub OIDC provider instead of creating a second one", () => {
    const arn = `arn:aws:iam::${dev.account}:oidc-provider/token.actions.githubusercontent.com`;
    const withExisting = bootstrapWith({ githubOidcProviderArn: arn });
    expect(withExisting.json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    const trusts = Object.values(
      (withExisting.json.resource?.aws_iam_role ?? {}) as Record<string, Record<string, unknown>>,
    ).map((r) => JSON.parse(String(r.assume_role_policy)).Statement[0].Principal.Federated);
    // plan, apply and registry roles
    expect(trusts).toEqual([arn, arn, arn]);
    expect(
      Object.keys(stack("dev-bootstrap").json.resource?.aws_iam_openid_connect_provider ?? {}),
    ).toHaveLength(1);
  });
});

describe("weakening a setting", () => {
  type Blocks = Record<string, Record<string, unknown>>;
  /** Runs the rules over a copy of dev-platform whose resources of `type` were changed by `mutate`. */
  function weakened(type: string, mutate: (block: Record<string, unknown>) => void) {
    const copy = structuredClone(stack("dev-platform"));
    const blocks = (copy.json.resource as Record<string, Blocks> | undefined)?.[type] ?? {};
    for (const block of Object.values(blocks)) mutate(block);
    return runRules([copy], secureDefaultRules).map((v) => v.rule);
  }

  it("trips rds-not-public when the database is made public", () => {
    expect(weakened("aws_db_instance", (db) => Object.assign(db, { publicly_accessible: true }))).toContain(
      "rds-not-public",
    );
  });

  it("trips sqs-has-dlq when a queue loses its dead-letter queue", () => {
    expect(weakened("aws_sqs_queue", (queue) => delete queue.redrive_policy)).toContain("sqs-has-dlq");
  });

  it("trips iam-role-has-boundary when a role loses its permissions boundary", () => {
    expect(weakened("aws_iam_role", (role) => delete role.permissions_boundary)).toContain(
      "iam-role-has-boundary",
    );
  });
});

describe("npm run synth", () => {
  it("exits 0 and lists every stack, writing cdktf.out/stacks/*/cdk.tf.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-synth-"));
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", "infra/main.ts"], {
        encoding: "utf8",
        env: { ...process.env, SLUICE_OUTDIR: dir, CDKTF_OUTDIR: "" },
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Synthesized 12 stacks/);
      expect(readSynthesizedStacks(dir, process.cwd())).toHaveLength(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes HCL for `cdktf synth --hcl` (SYNTH_HCL_OUTPUT), after the rules pass on the JSON form", () => {
    const dir = mkdtempSync(join(tmpdir(), "sluice-synth-hcl-"));
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", "infra/main.ts"], {
        encoding: "utf8",
        env: { ...process.env, SLUICE_OUTDIR: dir, CDKTF_OUTDIR: "", SYNTH_HCL_OUTPUT: "true" },
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Synthesized 12 stacks into .* as HCL \(cdk\.tf\)/);
      expect(run.stdout).toContain("no violations (checked on the JSON form of the same stacks)");
      const network = readFileSync(join(dir, "stacks", "dev-network", "cdk.tf"), "utf8");
      expect(network).toMatch(/^resource "aws_vpc" /m);
      expect(existsSync(join(dir, "stacks", "dev-network", "cdk.tf.json"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("tags what node groups launch (instances, volumes, ENIs) with the cost tags, in every environment", () => {
    for (const { config } of environments) {
      const templates = Object.values(resources(`${config.name}-platform`, "aws_launch_template"));
      expect(templates.length).toBeGreaterThan(0);
      for (const t of templates) {
        const specs = t.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
        expect(specs?.map((x) => x.resource_type)).toEqual(["instance", "volume", "network-interface"]);
        for (const spec of specs) {
          expect(spec.tags["cost-centre"]).toBe(config.tags.costCentre);
          expect(spec.tags.environment).toBe(config.name);
        }
      }
    }
  });

  it("runs dev nodes with prefix delegation, not the 17-pod ENI limit of a t4g.medium", () => {
    const cni = Object.values(resources("dev-platform", "aws_eks_addon")).find(
      (a) => a.addon_name === "vpc-cni",
    );
    expect(JSON.parse(String(cni?.configuration_values)).env.ENABLE_PREFIX_DELEGATION).toBe("true");
  });

  it("creates the log groups AWS would leave without expiry (RDS exports, Container Insights) with retention from config", () => {
    for (const { config } of environments) {
      const groups = Object.values(resources(`${config.name}-platform`, "aws_cloudwatch_log_group"));
      const byName = (pattern: RegExp) => groups.filter((g) => pattern.test(String(g.name)));
      const rds = byName(/^\/aws\/rds\/instance\/[^/]+\/(postgresql|upgrade)$/);
      const insights = byName(/^\/aws\/containerinsights\/[^/]+\/(application|dataplane|host|performance)$/);
      expect(rds, config.name).toHaveLength(2);
      expect(insights, config.name).toHaveLength(4);
      for (const g of [...rds, ...insights]) expect(g.retention_in_days).toBe(config.logs.retentionDays);
      const audit = byName(/^\/aws\/eks\/[^/]+\/cluster$/);
      expect(audit.map((g) => g.retention_in_days)).toEqual([config.logs.auditRetentionDays]);
      const flow = Object.values(resources(`${config.name}-network`, "aws_cloudwatch_log_group"));
      expect(flow.map((g) => g.retention_in_days)).toEqual([config.logs.auditRetentionDays]);
    }
    expect(
      Object.values(resources("prod-network", "aws_cloudwatch_log_group"))[0]?.retention_in_days,
    ).toBeGreaterThanOrEqual(365);
  });

  it("sends all five control-plane log types in prod, only audit and authenticator elsewhere", () => {
    const types = (env: string) =>
      Object.values(resources(`${env}-platform`, "aws_eks_cluster"))[0]?.enabled_cluster_log_types;
    expect(types("prod")).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(types("dev")).toEqual(["audit", "authenticator"]);
    expect(types("staging")).toEqual(["audit", "authenticator"]);
  });

  it("sends prod's and staging's alarm topic to Slack through AWS Chatbot, with no webhook subscription left", () => {
    for (const env of ["staging", "prod"]) {
      const config = environments.find((e) => e.config.name === env)?.config;
      const chat = Object.values(resources(`${env}-platform`, "aws_chatbot_slack_channel_configuration"));
      expect(chat).toHaveLength(1);
      expect(chat[0]).toMatchObject({
        slack_team_id: config?.alarms.slack?.workspaceId,
        slack_channel_id: config?.alarms.slack?.channelId,
        sns_topic_arns: [expect.stringMatching(/^\$\{aws_sns_topic\./)],
      });
      expect(resources(`${env}-platform`, "aws_sns_topic_subscription")).toEqual({});
      expect(stack(`${env}-platform`).json.data?.aws_ssm_parameter).toBeUndefined();
    }
  });

  it("trusts each plan role only in the default branch's plan-stack.yml, and disables Argo CD's admin user", () => {
    for (const { config } of environments) {
      const plan = Object.values(resources(`${config.name}-bootstrap`, "aws_iam_role")).find(
        (r) => r.name === `${config.name}-ci-plan`,
      );
      const trust = JSON.parse(String(plan?.assume_role_policy)).Statement[0];
      expect(trust.Condition.StringEquals["token.actions.githubusercontent.com:job_workflow_ref"]).toEqual([
        `${config.tags.repository}/.github/workflows/plan-stack.yml@refs/heads/${config.ci.protectedBranch}`,
      ]);
      const argocd = Object.values(resources(`${config.name}-gitops`, "helm_release")).find(
        (r) => r.chart === "argo-cd",
      );
      expect(
        JSON.parse(String((argocd?.values as string[] | undefined)?.[0])).configs.cm["admin.enabled"],
      ).toBe(false);
    }
  });

  it("lets only declared workloads reach the database: RDS admits its access group, never the cluster's", () => {
    for (const { config } of environments) {
      const platform = `${config.name}-platform`;
      const ingress = Object.values(resources(platform, "aws_vpc_security_group_ingress_rule"));
      const groups = resources(platform, "aws_security_group");
      const idOf = (name: string) => Object.entries(groups).find(([, g]) => g.name === name)?.[0];
      const dbSg = idOf(`${config.name}-app-db-sg`);
      const accessSg = idOf(`${config.name}-app-db-access-sg`);
      const toDb = ingress.filter((r) => String(r.security_group_id).includes(`aws_security_group.${dbSg}.`));
      expect(toDb.map((r) => r.referenced_security_group_id)).toEqual([
        `\${aws_security_group.${accessSg}.id}`,
      ]);
      expect(JSON.stringify(toDb)).not.toMatch(/cluster_security_group_id/);

      const release = Object.values(resources(`${config.name}-gitops`, "helm_release")).find(
        (r) =>
          String(r.chart).endsWith("gitops/charts/cluster-manifests") &&
          String(r.name).endsWith("-db-access"),
      );
      const manifests = JSON.parse(String((release?.values as string[] | undefined)?.[0])).manifests as {
        kind: string;
        metadata: { namespace?: string };
        spec?: { podSelector: unknown; securityGroups: { groupIds: string[] } };
      }[];
      const policies = manifests.filter((m) => m.kind === "SecurityGroupPolicy");
      expect(policies.map((p) => [p.metadata.namespace, p.spec?.podSelector])).toEqual([
        ...config.database.clients.map((c) => [c.namespace, { matchLabels: c.podLabels }]),
        // The change-control service, which every environment runs (gitops/envs/<env>/values.yaml).
        [`${config.name}-webhook`, { matchLabels: { "app.kubernetes.io/name": `${config.name}-webhook` } }],
      ]);
      for (const p of policies) expect(p.spec?.securityGroups.groupIds).toHaveLength(2);
    }
    const cni = Object.values(resources("prod-platform", "aws_eks_addon")).find(
      (a) => a.addon_name === "vpc-cni",
    );
    expect(JSON.parse(String(cni?.configuration_values)).env.ENABLE_POD_ENI).toBe("true");
  });

  it("gives the change-control service its Pod Identity, value-less GitHub secret and the database secret, published to Argo CD", () => {
    for (const { config } of environments) {
      const platform = `${config.name}-platform`;
      const ns = `${config.name}-webhook`;
      const association = Object.values(resources(platform, "aws_eks_pod_identity_association")).find(
        (a) => a.namespace === ns,
      );
      expect(association).toMatchObject({ service_account: ns });
      const [roleId, role] =
        Object.entries(resources(platform, "aws_iam_role")).find(
          ([, r]) => r.name === `${config.name}-webhook-role`,
        ) ?? [];
      expect(String(association?.role_arn)).toBe(`\${aws_iam_role.${roleId}.arn}`);
      expect(String(role?.permissions_boundary)).toMatch(/:policy\/.*-role-boundary$/);
      const secrets = Object.entries(resources(platform, "aws_secretsmanager_secret"));
      expect(secrets.map(([, s]) => s.name)).toEqual([`${config.name}-webhook-github-secrets`]);
      expect(resources(platform, "aws_secretsmanager_secret_version")).toEqual({});
      const policy = Object.values(resources(platform, "aws_iam_role_policy")).find((p) =>
        String(p.role).includes(`aws_iam_role.${roleId}.`),
      );
      const [read] = JSON.parse(String(policy?.policy)).Statement as { Resource: string[] }[];
      expect(read?.Resource).toEqual([
        `\${aws_secretsmanager_secret.${secrets[0]?.[0]}.arn}`,
        expect.stringMatching(/^\$\{aws_db_instance\..*\.master_user_secret\[0\]\.secret_arn\}$/),
      ]);

      const secret = Object.values(resources(`${config.name}-gitops`, "kubernetes_secret_v1"))[0] as {
        metadata: { annotations: Record<string, string> }[] | { annotations: Record<string, string> };
      };
      const annotations = (Array.isArray(secret.metadata) ? secret.metadata[0] : secret.metadata)
        ?.annotations;
      expect(Object.keys(annotations ?? {})).toEqual(
        expect.arrayContaining([
          "sluice.dev/role-webhook-arn",
          "sluice.dev/secrets-webhook-github-arn",
          "sluice.dev/secrets-db-arn",
          "sluice.dev/database-endpoint",
        ]),
      );
    }
    const provider = Object.values(resources("prod-platform", "aws_eks_addon")).find(
      (a) => a.addon_name === "aws-secrets-store-csi-driver-provider",
    );
    expect(provider?.addon_version).toBe(ADDON_VERSIONS["1.35"]?.["aws-secrets-store-csi-driver-provider"]);
  });

  it("backs prod's database up with AWS Backup, copying every recovery point to another region", () => {
    const prodConfig = environments.find((e) => e.config.name === "prod")?.config;
    const backup = prodConfig?.database.backup;
    expect(backup && "region" in backup.copy ? backup.copy.region : undefined).not.toBe(prodConfig?.region);
    const copyVault = Object.values(resources("prod-platform", "aws_backup_vault")).find(
      (v) => v.region !== undefined,
    );
    expect(copyVault?.region).toBe(backup && "region" in backup.copy ? backup.copy.region : "");
    const selection = Object.values(resources("prod-platform", "aws_backup_selection"));
    expect(selection).toHaveLength(1);
    expect(String(selection[0]?.resources)).toMatch(/aws_db_instance\./);
    const apply = Object.values(resources("prod-bootstrap", "aws_iam_role_policy")).find(
      (p) => p.name === "prod-ci-apply-policy",
    );
    const statements = JSON.parse(String(apply?.policy)).Statement as { Sid: string; Condition?: unknown }[];
    expect(statements.find((x) => x.Sid === "ManageBackupCopyVaults")?.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["eu-central-1"] },
    });
  });

  it("installs Karpenter in every gitops stack, with each environment's NodePool limits and capacity types", () => {
    for (const { config } of environments) {
      const releases = Object.values(resources(`${config.name}-gitops`, "helm_release"));
      const karpenter = releases.find((r) => r.chart === "karpenter");
      expect(karpenter?.repository).toBe("oci://public.ecr.aws/karpenter");
      expect(JSON.parse(String((karpenter?.values as string[] | undefined)?.[0])).replicas).toBe(
        config.cluster.autoscaling.controllerReplicas,
      );
      const pool = releases.find((r) => r.name === `${config.name}-karpenter-nodes`);
      const nodePool = JSON.parse(String((pool?.values as string[] | undefined)?.[0])).manifests.find(
        (m: { kind: string }) => m.kind === "NodePool",
      );
      expect(nodePool.spec.limits).toEqual({
        cpu: String(config.cluster.autoscaling.maxCpu),
        memory: `${config.cluster.autoscaling.maxMemoryGiB}Gi`,
      });
      expect(nodePool.spec.template.spec.requirements).toContainEqual({
        key: "karpenter.sh/capacity-type",
        operator: "In",
        values: config.cluster.autoscaling.capacityTypes,
      });
      expect(
        Object.values(resources(`${config.name}-gitops`, "aws_eks_pod_identity_association")),
      ).toHaveLength(1);
    }
  });

  it("gives every user pool a domain (custom with ACM in prod, prefix elsewhere) and prod's e-mail to SES", () => {
    for (const { config } of environments) {
      const domain = Object.values(resources(`${config.name}-platform`, "aws_cognito_user_pool_domain"));
      expect(domain).toHaveLength(1);
      const certificates = Object.values(resources(`${config.name}-platform`, "aws_acm_certificate"));
      if (config.name === "prod") {
        expect(domain[0]?.certificate_arn).toMatch(/aws_acm_certificate_validation/);
        expect(certificates.map((c) => c.region)).toEqual(["us-east-1"]);
        const pool = Object.values(resources("prod-platform", "aws_cognito_user_pool"))[0];
        expect(
          (pool?.email_configuration as Record<string, unknown> | undefined)?.email_sending_account,
        ).toBe("DEVELOPER");
      } else {
        expect(domain[0]?.certificate_arn).toBeUndefined();
        expect(certificates).toEqual([]);
      }
    }
    const apply = Object.values(resources("prod-bootstrap", "aws_iam_role_policy")).find(
      (p) => p.name === "prod-ci-apply-policy",
    );
    const sids = (JSON.parse(String(apply?.policy)).Statement as { Sid: string }[]).map((x) => x.Sid);
    expect(sids).toEqual(
      expect.arrayContaining(["ManageRecordsInTheEnvironmentsZones", "ManageCloudFrontCertificates"]),
    );
  });

  it("gives dev's tenants their Cognito client and group and their queues, published to the cluster secret", () => {
    expect(devConfig.tenants.map((t) => t.name)).toEqual(["acme", "globex"]);
    const names = (type: string) =>
      Object.values(resources("dev-platform", type))
        .map((r) => String(r.name))
        .sort();
    expect(names("aws_cognito_user_pool_client")).toEqual(["dev-acme", "dev-api", "dev-globex", "dev-web"]);
    expect(names("aws_cognito_user_group")).toEqual(["dev-acme", "dev-admin", "dev-globex", "dev-tenant"]);
    expect(names("aws_sqs_queue")).toEqual(
      expect.arrayContaining(["dev-acme-orders", "dev-acme-orders-dlq", "dev-orders", "dev-orders-dlq"]),
    );
    expect(names("aws_sqs_queue").filter((n) => n.includes("globex"))).toEqual([]);
    const secret = JSON.stringify(resources("dev-gitops", "kubernetes_secret_v1"));
    expect(secret).toContain('"sluice.dev/queue-acme-orders-url"');
    // Tenants are per environment: prod has none of dev's.
    expect(
      Object.values(resources("prod-platform", "aws_cognito_user_group")).map((g) => g.name),
    ).not.toContain("prod-acme");
  });
});
