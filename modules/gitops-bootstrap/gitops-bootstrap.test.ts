import { describe, expect, it } from "vitest";
import { resourcesOf, synthJson, testStack } from "../test/stack.ts";
import { configureClusterProviders } from "./cluster-providers.ts";
import {
  ARGO_HELM_REPOSITORY,
  DEFAULT_ARGOCD_CHART_VERSION,
  GitopsBootstrap,
  type GitopsBootstrapProps,
  PLATFORM_APPS_CHART_PATH,
} from "./gitops-bootstrap.ts";

const base: GitopsBootstrapProps = {
  clusterName: "dev-eks-cluster",
  repoUrl: "https://github.com/acme/platform.git",
};

function build(props: Partial<GitopsBootstrapProps> = {}, environment = "dev") {
  const stack = testStack(environment);
  configureClusterProviders(stack, props.clusterName ?? base.clusterName, "eu-west-1");
  const gitops = new GitopsBootstrap(stack, "gitops", { ...base, ...props });
  const json = synthJson(stack);
  const releases = Object.values(resourcesOf(json, "helm_release"));
  const release = (chart: string) => releases.find((r) => r.chart === chart) as Record<string, unknown>;
  const [secret] = Object.values(resourcesOf(json, "kubernetes_secret_v1"));
  const metadata = (secret?.metadata ?? {}) as Record<string, Record<string, string>>;
  const rootValues = () =>
    JSON.parse(String((release("argocd-apps").values as string[])[0])) as {
      applications: Record<string, Record<string, Record<string, unknown>>>;
    };
  return { gitops, json, release, secret, metadata, rootValues };
}

describe("configureClusterProviders", () => {
  it("configures kubernetes and helm from data aws_eks_cluster, with an aws eks get-token exec credential", () => {
    const { json } = build();
    const cluster = Object.entries(json.data?.aws_eks_cluster ?? {});
    expect(cluster).toHaveLength(1);
    expect(cluster[0]?.[1]).toEqual({ name: "dev-eks-cluster" });
    // No token fixed at plan time: it would be expired by the time a saved plan is applied.
    expect(json.data?.aws_eks_cluster_auth).toBeUndefined();
    const [clusterId] = cluster[0] ?? [];
    const connection = {
      host: `\${data.aws_eks_cluster.${clusterId}.endpoint}`,
      cluster_ca_certificate: `\${base64decode(data.aws_eks_cluster.${clusterId}.certificate_authority[0].data)}`,
    };
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: [
        "eks",
        "get-token",
        "--cluster-name",
        "dev-eks-cluster",
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ],
    };
    // A block for the kubernetes provider, an attribute inside `kubernetes` for helm 3.x.
    expect(json.provider?.kubernetes).toEqual([{ ...connection, exec: [exec] }]);
    expect(json.provider?.helm).toEqual([{ kubernetes: { ...connection, exec } }]);
  });
});

describe("GitopsBootstrap", () => {
  it("installs Argo CD from the official repository at the pinned chart version", () => {
    const argocd = build().release("argo-cd");
    expect(argocd).toMatchObject({
      name: "dev-argocd",
      namespace: "dev-argocd",
      repository: ARGO_HELM_REPOSITORY,
      version: DEFAULT_ARGOCD_CHART_VERSION,
      create_namespace: true,
      atomic: true,
    });
    expect(build({ argocdChartVersion: "8.1.0" }).release("argo-cd").version).toBe("8.1.0");
  });

  it("rejects chart version ranges", () => {
    for (const bad of ["^8.3.0", "8.x", "~8.3", ">=8.0.0", "latest", ""]) {
      expect(() => build({ argocdChartVersion: bad })).toThrow(
        `GitopsBootstrap: argocdChartVersion must be an exact chart version such as 8.3.0 (no ranges), got '${bad}'`,
      );
    }
    expect(() => build({ argocdAppsChartVersion: "2.*" })).toThrow("argocdAppsChartVersion must be an exact");
  });

  it("registers the cluster with a labelled secret carrying the environment's metadata", () => {
    const { secret, metadata } = build({
      metadata: {
        vpcId: "vpc-0abc",
        databaseEndpoint: "db.example.internal:5432",
        userPoolId: "eu-west-1_AbCdEf",
        region: "eu-west-1",
        roleArns: { "ci-apply": "arn:aws:iam::123456789012:role/dev-ci-apply-role" },
        queueUrls: { orders: "https://sqs.eu-west-1.amazonaws.com/123456789012/dev-orders-queue" },
        secretArns: {
          "webhook-github":
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-webhook-github-secrets-AbCdEf",
        },
        labels: { tier: "standard" },
      },
    });
    expect(metadata.labels).toEqual({
      "argocd.argoproj.io/secret-type": "cluster",
      "sluice.dev/environment": "dev",
      "sluice.dev/cluster-name": "dev-eks-cluster",
      "sluice.dev/tier": "standard",
    });
    expect(metadata.annotations).toEqual({
      "sluice.dev/environment": "dev",
      "sluice.dev/cluster-name": "dev-eks-cluster",
      "sluice.dev/vpc-id": "vpc-0abc",
      "sluice.dev/database-endpoint": "db.example.internal:5432",
      "sluice.dev/user-pool-id": "eu-west-1_AbCdEf",
      "sluice.dev/region": "eu-west-1",
      "sluice.dev/role-ci-apply-arn": "arn:aws:iam::123456789012:role/dev-ci-apply-role",
      "sluice.dev/queue-orders-url": "https://sqs.eu-west-1.amazonaws.com/123456789012/dev-orders-queue",
      "sluice.dev/secrets-webhook-github-arn":
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:dev-webhook-github-secrets-AbCdEf",
    });
    expect(metadata.namespace).toBe("dev-argocd");
    expect(secret?.data).toMatchObject({ name: "dev-eks-cluster", server: "https://kubernetes.default.svc" });
    expect(String(secret?.depends_on)).toContain("helm_release.");
  });

  it("keeps every label value within Kubernetes' 63-character limit, moving long names to annotations", () => {
    const long = `dev-${"x".repeat(70)}`;
    const { metadata } = build({ clusterName: long });
    expect(metadata.labels?.["sluice.dev/cluster-name"]).toBeUndefined();
    expect(metadata.annotations?.["sluice.dev/cluster-name"]).toBe(long);
    for (const value of Object.values(metadata.labels ?? {})) expect(value.length).toBeLessThanOrEqual(63);
  });

  it("rejects ids as label values and bad metadata keys", () => {
    expect(() =>
      build({
        metadata: { labels: { vpc: "arn:aws:iam::123456789012:role/too/long/for/a/label/value/really" } },
      }),
    ).toThrow("GitopsBootstrap: metadata.labels.vpc must be a concrete label value");
    expect(() => build({ metadata: { queueUrls: { Orders_Queue: "https://x" } } })).toThrow(
      "metadata.queueUrls key must be lowercase words joined by '-' (≤ 50 chars), got 'Orders_Queue'",
    );
    expect(() => build({ metadata: { secretArns: { "GitHub Key": "arn:x" } } })).toThrow(
      "metadata.secretArns key must be lowercase words joined by '-' (≤ 50 chars), got 'GitHub Key'",
    );
    expect(() => build({ metadata: { labels: { environment: "prod" } } })).toThrow(
      "must not redefine 'environment'",
    );
  });

  it("creates the root application pointing at gitops/ for the environment", () => {
    const { release, rootValues } = build({ targetRevision: "release-1" }, "staging");
    expect(release("argocd-apps")).toMatchObject({ name: "staging-gitops", namespace: "staging-argocd" });
    expect(String(release("argocd-apps").depends_on)).toContain("helm_release.");
    const apps = rootValues().applications;
    expect(Object.keys(apps)).toEqual(["staging-gitops"]);
    const root = apps["staging-gitops"] ?? {};
    expect(root.source).toEqual({
      repoURL: "https://github.com/acme/platform.git",
      targetRevision: "release-1",
      path: PLATFORM_APPS_CHART_PATH,
      helm: {
        valueFiles: ["../../envs/staging/values.yaml"],
        valuesObject: {
          environment: "staging",
          argocdNamespace: "staging-argocd",
          repoURL: "https://github.com/acme/platform.git",
          targetRevision: "release-1",
        },
      },
    });
    expect(root.destination).toEqual({
      server: "https://kubernetes.default.svc",
      namespace: "staging-argocd",
    });
    expect(root.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true } });
  });

  it("takes another values file and rejects bad repository settings", () => {
    const { rootValues } = build({ valuesFile: "gitops/envs/dev/extra.yaml" });
    const helm = (rootValues().applications["dev-gitops"]?.source?.helm ?? {}) as { valueFiles: string[] };
    expect(helm.valueFiles).toEqual(["../../envs/dev/extra.yaml"]);
    expect(() => build({ repoUrl: "github.com/acme/platform" })).toThrow(
      "GitopsBootstrap: repoUrl must be an https:// or SSH git URL, got 'github.com/acme/platform'",
    );
    expect(() => build({ targetRevision: "main; rm -rf" })).toThrow(
      "targetRevision must be a branch, tag or commit",
    );
    expect(() => build({ valuesFile: "/etc/passwd" })).toThrow(
      "valuesFile must be a YAML file under gitops/",
    );
  });
});
