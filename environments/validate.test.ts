import { describe, expect, it } from "vitest";
import { parseCidr } from "./cidr.ts";
import type { EnvironmentConfig } from "./config.ts";
import { dev } from "./dev.ts";
import { environments } from "./index.ts";
import { prod } from "./prod.ts";
import { formatIssues, validateEnvironments } from "./validate.ts";

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

/** A deep copy of an environment that a test may change. */
function copy(config: EnvironmentConfig): Mutable<EnvironmentConfig> {
  return structuredClone(config) as Mutable<EnvironmentConfig>;
}

function issuesFor(...configs: EnvironmentConfig[]) {
  return validateEnvironments(configs.map((config) => ({ file: `environments/${config.name}.ts`, config })));
}

describe("the shipped environments", () => {
  it("are valid", () => {
    expect(formatIssues(validateEnvironments(environments))).toBe("");
  });

  it("run a Kubernetes version in EKS standard support on the issue date, with the support type explicit", () => {
    expect(formatIssues(validateEnvironments(environments, { today: "2026-12-02" }))).toBe("");
    for (const { config } of environments) expect(config.cluster.supportType).toBe("STANDARD");
  });

  it("refuses a version past the support window its support type allows", () => {
    const old = copy(dev);
    old.cluster.kubernetesVersion = "1.33";
    const onIssueDay = (config: EnvironmentConfig) =>
      formatIssues(validateEnvironments([{ file: "environments/dev.ts", config }], { today: "2026-12-02" }));
    expect(onIssueDay(old)).toBe(
      'environments/dev.ts: cluster.kubernetesVersion = "1.33": Kubernetes 1.33 left EKS standard support on 2026-07-29; move to a newer version (on 2026-12-02)',
    );
    old.cluster.supportType = "EXTENDED";
    expect(onIssueDay(old)).toBe("");
    old.cluster.supportType = "SOMETIMES" as "EXTENDED";
    expect(onIssueDay(old)).toMatch(/cluster\.supportType = "SOMETIMES"/);
  });

  it("accept an existing GitHub OIDC provider and the GitHub connection only from the environment's own account", () => {
    const shared = copy(dev);
    shared.ci.githubOidcProviderArn = `arn:aws:iam::${dev.account}:oidc-provider/token.actions.githubusercontent.com`;
    expect(formatIssues(issuesFor(shared))).toBe("");
    shared.ci.githubOidcProviderArn =
      "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com";
    expect(formatIssues(issuesFor(shared))).toMatch(
      /ci\.githubOidcProviderArn = .*must be in the environment's account/,
    );
    shared.ci.githubOidcProviderArn = `arn:aws:iam::${dev.account}:oidc-provider/example.com`;
    expect(formatIssues(issuesFor(shared))).toMatch(/expected the ARN of the token\.actions/);
    shared.ci.githubConnectionArn = dev.ci.githubConnectionArn.replace(dev.account, "999999999999");
    expect(formatIssues(issuesFor(shared))).toMatch(
      /ci\.githubConnectionArn = .*must be in the environment's account 111111111111 and region eu-west-1/,
    );
    shared.ci.githubConnectionArn = "arn:aws:iam::111111111111:role/github";
    expect(formatIssues(issuesFor(shared))).toMatch(/expected a CodeConnections connection ARN/);
    shared.ci.bootstrapState = "remote" as "s3";
    expect(formatIssues(issuesFor(shared))).toMatch(/ci\.bootstrapState = "remote"/);
  });

  it("cover dev, staging and prod with non-overlapping VPCs", () => {
    expect(environments.map((e) => e.config.name)).toEqual(["dev", "staging", "prod"]);
    const ranges = environments.map((e) => parseCidr(e.config.network.cidr));
    for (const r of ranges) expect(typeof r).toBe("object");
  });

  it("right-size dev: one NAT, Graviton nodes, a single-AZ db.t4g.micro", () => {
    expect(dev.network.natGateways).toBe("single");
    expect(dev.database.instanceClass).toBe("db.t4g.micro");
    expect(dev.database.multiAz).toBe(false);
    expect(dev.cluster.nodeGroups.every((g) => g.amiType.includes("ARM"))).toBe(true);
  });

  it("protect prod: three AZs, a NAT per AZ, Multi-AZ and deletion protection", () => {
    expect(prod.network.availabilityZones).toHaveLength(3);
    expect(prod.network.natGateways).toBe("per-az");
    expect(prod.database.multiAz).toBe(true);
    expect(prod.database.deletionProtection).toBe(true);
    expect(prod.identity.deletionProtection).toBe(true);
  });
});

describe("validateEnvironments", () => {
  it("reports overlapping CIDRs with both environments named", () => {
    const other = copy(prod);
    other.network.cidr = "10.10.128.0/17";
    const issues = issuesFor(dev, other);
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: "environments/prod.ts",
        path: "network.cidr",
        value: "10.10.128.0/17",
      }),
    );
    expect(formatIssues(issues)).toMatch(/overlaps dev's 10\.10\.0\.0\/16/);
  });

  it("reports min > max nodes at the node group's path", () => {
    const bad = copy(dev);
    const group = bad.cluster.nodeGroups[0];
    if (!group) throw new Error("dev has a node group");
    group.minSize = 5;
    group.maxSize = 3;
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "cluster.nodeGroups[0].minSize", value: 5 }),
    );
  });

  it("reports every missing prod protection at once", () => {
    const weak = copy(prod);
    weak.database.multiAz = false;
    weak.database.deletionProtection = false;
    weak.database.backupRetentionDays = 7;
    weak.identity.deletionProtection = false;
    weak.network.natGateways = "single";
    const paths = issuesFor(weak).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "database.multiAz",
        "database.deletionProtection",
        "database.backupRetentionDays",
        "identity.deletionProtection",
        "network.natGateways",
      ]),
    );
  });

  it("does not hold dev to prod's protections", () => {
    expect(issuesFor(dev)).toEqual([]);
  });

  it("rejects invalid names and malformed values with the field path and value", () => {
    const bad = copy(dev);
    (bad as { name: string }).name = "Production";
    bad.queues[0] = { name: "Orders_Queue" };
    bad.network.cidr = "10.10.0.1/16";
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(expect.objectContaining({ path: "name", value: "Production" }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "queues[0].name", value: "Orders_Queue" }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "network.cidr", value: "10.10.0.1/16" }));
    expect(formatIssues(issues)).toContain("host bits are set; did you mean 10.10.0.0/16?");
  });

  it("never allows a public endpoint open to the internet", () => {
    const bad = copy(dev);
    bad.cluster.publicAccessCidrs = ["0.0.0.0/0"];
    expect(issuesFor(bad)).toContainEqual(expect.objectContaining({ path: "cluster.publicAccessCidrs[0]" }));
  });

  it("rejects an instance type that does not match the AMI architecture", () => {
    const bad = copy(dev);
    const group = bad.cluster.nodeGroups[0];
    if (!group) throw new Error("dev has a node group");
    group.instanceTypes = ["m5.large"];
    expect(issuesFor(bad)).toContainEqual(
      expect.objectContaining({ path: "cluster.nodeGroups[0].instanceTypes[0]" }),
    );
  });

  it("reports format errors and cross-field problems in the same run", () => {
    const bad = copy(prod);
    bad.queues[0] = { name: "Orders_Q" };
    bad.database.multiAz = false;
    const group = bad.cluster.nodeGroups[0];
    if (!group) throw new Error("prod has a node group");
    group.minSize = 12;
    const paths = issuesFor(bad).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["queues[0].name", "database.multiAz", "cluster.nodeGroups[0].minSize"]),
    );
  });

  it("reports a misspelt field instead of silently using the default", () => {
    const bad = copy(dev);
    bad.queues[0] = { name: "orders", fifoo: true } as (typeof bad.queues)[number];
    expect(issuesFor(bad)).toContainEqual({
      file: "environments/dev.ts",
      path: "queues[0].fifoo",
      value: true,
      message: "unknown field (misspelt?)",
    });
  });

  it("reports a malformed shape without throwing", () => {
    const bad = copy(dev) as unknown as { cluster: { nodeGroups: unknown } };
    bad.cluster.nodeGroups = "app";
    const issues = issuesFor(bad as unknown as EnvironmentConfig);
    expect(issues).toContainEqual(expect.objectContaining({ path: "cluster.nodeGroups", value: "app" }));
  });

  it("rejects duplicate environment names", () => {
    expect(issuesFor(dev, dev).map((i) => i.message)).toContain(
      "environment name already used by environments/dev.ts",
    );
  });

  it("keeps audit logs at least 365 days in prod and 30 elsewhere, naming the field", () => {
    const weakProd = copy(prod);
    weakProd.logs.auditRetentionDays = 180;
    expect(formatIssues(issuesFor(weakProd))).toBe(
      "environments/prod.ts: logs.auditRetentionDays = 180: audit logs (EKS audit, VPC flow logs) must be kept at least 365 days in prod",
    );
    const weakDev = copy(dev);
    weakDev.logs.auditRetentionDays = 14;
    expect(issuesFor(weakDev)).toContainEqual(
      expect.objectContaining({ path: "logs.auditRetentionDays", value: 14 }),
    );
    expect(prod.logs.auditRetentionDays).toBeGreaterThanOrEqual(365);
  });

  it("accepts only retention values CloudWatch Logs accepts", () => {
    const bad = copy(dev);
    bad.logs.retentionDays = 10;
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(expect.objectContaining({ path: "logs.retentionDays", value: 10 }));
    expect(formatIssues(issues)).toMatch(/expected a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30/);
  });

  it("checks the Chatbot Slack ids, naming the field", () => {
    const bad = copy(prod);
    bad.alarms.slack = { workspaceId: "acme", channelId: "#alarms" };
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: "alarms.slack.workspaceId",
        value: "acme",
        message: expect.stringMatching(/Slack workspace id/),
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "alarms.slack.channelId", value: "#alarms" }),
    );
  });

  it("checks the database's declared clients: a namespace of the environment and labels selecting pods", () => {
    const bad = copy(dev);
    bad.database.clients = [
      { namespace: "prod-orders", podLabels: { app: "orders" } },
      { namespace: "Dev_Orders", podLabels: {} },
    ];
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: "database.clients[0].namespace",
        value: "prod-orders",
        message: "must start with 'dev-', like the gitops apps' namespaces",
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "database.clients[1].namespace", value: "Dev_Orders" }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ path: "database.clients[1].podLabels" }));
  });

  it("requires prod's AWS Backup copy, off its region or account", () => {
    const none = copy(prod);
    delete (none.database as { backup?: unknown }).backup;
    expect(issuesFor(none)).toContainEqual(
      expect.objectContaining({
        path: "database.backup",
        message: "prod requires an AWS Backup plan with a cross-region or cross-account copy",
      }),
    );
    const sameRegion = copy(prod);
    sameRegion.database.backup = { retentionDays: 35, copyRetentionDays: 35, copy: { region: prod.region } };
    expect(issuesFor(sameRegion)).toContainEqual(
      expect.objectContaining({ path: "database.backup.copy.region" }),
    );
    const sameAccount = copy(prod);
    sameAccount.database.backup = {
      retentionDays: 35,
      copyRetentionDays: 35,
      copy: { vaultArn: `arn:aws:backup:eu-west-1:${prod.account}:backup-vault:x` },
    };
    expect(issuesFor(sameAccount)).toContainEqual(
      expect.objectContaining({ path: "database.backup.copy.vaultArn" }),
    );
    const otherAccount = copy(prod);
    otherAccount.database.backup = {
      retentionDays: 35,
      copyRetentionDays: 35,
      copy: { vaultArn: "arn:aws:backup:eu-west-1:444444444444:backup-vault:prod-copies" },
    };
    expect(issuesFor(otherAccount)).toEqual([]);
  });

  it("keeps Karpenter's replicas within the base nodes and prod on on-demand capacity", () => {
    const bad = copy(prod);
    bad.cluster.autoscaling = {
      maxCpu: 64,
      maxMemoryGiB: 256,
      capacityTypes: ["spot"],
      controllerReplicas: 9,
    };
    const issues = issuesFor(bad);
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: "cluster.autoscaling.capacityTypes",
        message: "prod requires on-demand capacity",
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: "cluster.autoscaling.controllerReplicas",
        value: 9,
        message: "must not exceed the node groups' minimum node count (3): replicas run one per node",
      }),
    );
    const zero = copy(dev);
    zero.cluster.autoscaling.maxCpu = 0;
    expect(issuesFor(zero)).toContainEqual(
      expect.objectContaining({ path: "cluster.autoscaling.maxCpu", value: 0 }),
    );
  });

  it("requires prod's custom sign-in domain and SES sender, and checks the sender's address", () => {
    const weak = copy(prod);
    weak.identity.domain = { prefix: "acme-prod" };
    delete (weak.identity as { email?: unknown }).email;
    const paths = issuesFor(weak).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["identity.domain", "identity.email"]));
    const wrongFrom = copy(prod);
    wrongFrom.identity.email = {
      fromAddress: "no-reply@other.org",
      domain: "example.com",
      hostedZoneId: "Z0EXAMPLE",
    };
    expect(issuesFor(wrongFrom)).toContainEqual(
      expect.objectContaining({ path: "identity.email.fromAddress" }),
    );
    const badPrefix = copy(dev);
    badPrefix.identity.domain = { prefix: "aws-login" };
    expect(issuesFor(badPrefix)).toContainEqual(
      expect.objectContaining({
        path: "identity.domain.prefix",
        message: "a prefix may not contain aws, amazon or cognito",
      }),
    );
  });
});

describe("tenants", () => {
  it("are declared in dev: two example tenants", () => {
    expect(dev.tenants.map((t) => t.name)).toEqual(["acme", "globex"]);
  });

  it("refuse a duplicate, a clash with an environment group or client, a bad team and duplicate queues", () => {
    const env = copy(dev);
    env.tenants = [
      { name: "acme", team: "example-org/acme-devs", queues: [{ name: "orders" }, { name: "orders" }] },
      { name: "acme", team: "example-org/acme devs" },
      { name: "admin", team: "admins" },
      { name: "web", team: "web", client: { confidential: false, callbackUrls: ["ftp://x"] } },
    ];
    expect(formatIssues(issuesFor(env)).split("\n")).toEqual([
      'environments/dev.ts: tenants[1].team = "example-org/acme devs": expected a GitHub team as org/team-slug or team-slug',
      'environments/dev.ts: tenants[3].client.callbackUrls[0] = "ftp://x": expected an https:// URL',
      'environments/dev.ts: tenants[0].queues = ["orders","orders"]: a tenant\'s queue names must be unique',
      'environments/dev.ts: tenants[1].name = "acme": tenant names must be unique',
      "environments/dev.ts: tenants[2].name = \"admin\": clashes with identity.groups: both make the user group 'dev-admin'",
      "environments/dev.ts: tenants[3].name = \"web\": clashes with identity.clients: both make the app client 'dev-web'",
    ]);
  });

  it("refuse a name that is not one glossary token and a misspelt field", () => {
    const env = copy(dev);
    env.tenants = [{ name: "Acme-Corp", team: "acme", queue: [] } as never];
    expect(formatIssues(issuesFor(env)).split("\n")).toEqual([
      'environments/dev.ts: tenants[0].name = "Acme-Corp": expected one lowercase glossary token (letters and digits)',
      "environments/dev.ts: tenants[0].queue = []: unknown field (misspelt?)",
    ]);
  });
});
