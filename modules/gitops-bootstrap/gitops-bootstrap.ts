import { Release } from "@cdktf/provider-helm/lib/release";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Token } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { Namer } from "../naming/namer.ts";
import { chatNotificationValues } from "./argocd-notifications.ts";

/** Where Argo CD's official charts are published. */
export const ARGO_HELM_REPOSITORY = "https://argoproj.github.io/argo-helm";
/**
 * Pinned `argo-cd` chart version: 10.9.2 ships Argo CD v3.5.3, a supported Argo CD minor on 2026-12-02
 * (Argo CD supports its three newest minors). The environments pin the same release.
 */
export const DEFAULT_ARGOCD_CHART_VERSION = "10.9.2";
/** Pinned `argocd-apps` chart version (applications as a map, v2 format). */
export const DEFAULT_ARGOCD_APPS_CHART_VERSION = "2.0.2";
/** Chart of the app-of-apps, relative to the repository root. */
export const PLATFORM_APPS_CHART_PATH = "gitops/charts/platform-apps";
/** Prefix of every label and annotation this construct writes on the cluster secret. */
export const METADATA_PREFIX = "sluice.dev";

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const KEY_WORD = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const REPO_URL = /^(https:\/\/[^\s]+|git@[^\s:]+:[^\s]+|ssh:\/\/[^\s]+)$/;

/** Environment facts published on the Argo CD cluster secret for `gitops/` to read. */
export interface ClusterMetadata {
  /**
   * VPC id.
   * @default not published
   */
  readonly vpcId?: string;
  /**
   * Database endpoint (host:port or host).
   * @default not published
   */
  readonly databaseEndpoint?: string;
  /**
   * Cognito user pool id.
   * @default not published
   */
  readonly userPoolId?: string;
  /**
   * AWS region.
   * @default not published
   */
  readonly region?: string;
  /**
   * IAM role ARNs by short key (lowercase words joined by '-'), published as `sluice.dev/role-<key>-arn`.
   * @default none
   */
  readonly roleArns?: Readonly<Record<string, string>>;
  /**
   * SQS queue URLs by short key, published as `sluice.dev/queue-<key>-url`.
   * @default none
   */
  readonly queueUrls?: Readonly<Record<string, string>>;
  /**
   * Secrets Manager secret ARNs by short key, published as `sluice.dev/secrets-<key>-arn`, for the
   * SecretProviderClass of the workload allowed to read them (the ARN, never the value).
   * @default none
   */
  readonly secretArns?: Readonly<Record<string, string>>;
  /**
   * Extra short label values (≤ 63 characters, label syntax), published as `sluice.dev/<key>` labels,
   * e.g. for ApplicationSet selectors.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface GitopsBootstrapProps {
  /** Name of the EKS cluster Argo CD runs in (also published on the cluster secret). */
  readonly clusterName: string;
  /** Git URL of the repository holding `gitops/` (https:// or SSH). */
  readonly repoUrl: string;
  /**
   * Branch, tag or commit the root application tracks.
   * @default "main"
   */
  readonly targetRevision?: string;
  /**
   * Environment values file, relative to the repository root.
   * @default `gitops/envs/<environment>/values.yaml`
   */
  readonly valuesFile?: string;
  /**
   * Exact `argo-cd` chart version; ranges are rejected.
   * @default DEFAULT_ARGOCD_CHART_VERSION
   */
  readonly argocdChartVersion?: string;
  /**
   * Exact `argocd-apps` chart version; ranges are rejected.
   * @default DEFAULT_ARGOCD_APPS_CHART_VERSION
   */
  readonly argocdAppsChartVersion?: string;
  /**
   * Extra YAML values for the `argo-cd` chart, merged after the defaults.
   * @default none
   */
  readonly argocdValues?: readonly string[];
  /**
   * Argo CD's notifications controller posting sync and health changes (deployed, sync failed, health
   * degraded) to the chat webhook in the pipeline's format (modules/gitops-bootstrap/argocd-notifications.ts).
   * The webhook URL is read from key `chat-webhook-url` of the `argocd-notifications-secret` secret in
   * Argo CD's namespace, which is created out of band (docs/gitops.md), never from Git or Terraform.
   * @default true
   */
  readonly chatNotifications?: boolean;
  /**
   * Environment metadata for the cluster secret.
   * @default only the environment and cluster name
   */
  readonly metadata?: ClusterMetadata;
}

/** The namespace Argo CD is installed in for the environment of `scope`, e.g. for access entries. */
export function argocdNamespaceFor(scope: IConstruct): string {
  return Namer.of(scope).name("k8s-namespace", "argocd");
}

/**
 * Installs Argo CD with Helm at a pinned chart version, registers the cluster with Argo CD through a
 * cluster secret carrying the environment's metadata, and creates the root (app-of-apps) application
 * pointing at `gitops/` for this environment.
 *
 * Meant for its own `{env}-gitops` stack, applied after the cluster stack, with providers from
 * `configureClusterProviders`. The root application is rendered by the `argocd-apps` chart rather than
 * a `kubernetes_manifest`: `kubernetes_manifest` needs the Application CRD at plan time, which does not
 * exist before Argo CD's first install, so a fresh environment could never be planned.
 */
export class GitopsBootstrap extends Construct {
  readonly namespace: string;
  readonly argocdReleaseName: string;
  /** The Argo CD release, which also creates `namespace`: for `dependsOn`. */
  readonly argocdRelease: Release;
  readonly rootApplicationName: string;
  readonly clusterSecretName: string;
  /** The labels and annotations published on the cluster secret. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GitopsBootstrapProps) {
    super(scope, id);
    validateProps(props);
    const namer = Namer.of(this);
    const environment = namer.props.environment;
    const namespace = argocdNamespaceFor(this);
    const targetRevision = props.targetRevision ?? "main";

    const argocd = new Release(this, "argocd", {
      name: namer.name("helm-release", "argocd"),
      namespace,
      createNamespace: true,
      repository: ARGO_HELM_REPOSITORY,
      chart: "argo-cd",
      version: props.argocdChartVersion ?? DEFAULT_ARGOCD_CHART_VERSION,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      values: [
        JSON.stringify({
          // Dex (SSO broker) is off until an identity provider is configured. The local admin user is off
          // too: its password sits in argocd-initial-admin-secret, in the namespace the CI plan role may
          // read. Use `argocd --core` (Kubernetes RBAC) or add SSO through argocdValues.
          dex: { enabled: false },
          configs: { params: { "server.insecure": false }, cm: { "admin.enabled": false } },
          server: { service: { type: "ClusterIP" } },
          ...(props.chatNotifications === false
            ? { notifications: { enabled: false } }
            : { notifications: chatNotificationValues(environment) }),
        }),
        ...(props.argocdValues ?? []),
      ],
    });

    const { labels, annotations } = clusterSecretMetadata(environment, props);
    const secretName = namer.name("k8s-namespace", "argocd", "cluster");
    new SecretV1(this, "cluster-secret", {
      metadata: { name: secretName, namespace, labels, annotations },
      data: {
        name: props.clusterName,
        server: "https://kubernetes.default.svc",
        config: JSON.stringify({ tlsClientConfig: { insecure: false } }),
      },
      dependsOn: [argocd],
    });

    const rootName = namer.name("k8s-namespace", "gitops");
    const valuesFile = props.valuesFile ?? `gitops/envs/${environment}/values.yaml`;
    new Release(this, "root-app", {
      name: namer.name("helm-release", "gitops"),
      namespace,
      repository: ARGO_HELM_REPOSITORY,
      chart: "argocd-apps",
      version: props.argocdAppsChartVersion ?? DEFAULT_ARGOCD_APPS_CHART_VERSION,
      atomic: true,
      values: [
        JSON.stringify({
          applications: {
            [rootName]: {
              namespace,
              project: "default",
              finalizers: ["resources-finalizer.argocd.argoproj.io"],
              source: {
                repoURL: props.repoUrl,
                targetRevision,
                path: PLATFORM_APPS_CHART_PATH,
                helm: {
                  valueFiles: [relativeTo(PLATFORM_APPS_CHART_PATH, valuesFile)],
                  valuesObject: {
                    environment,
                    argocdNamespace: namespace,
                    repoURL: props.repoUrl,
                    targetRevision,
                  },
                },
              },
              destination: { server: "https://kubernetes.default.svc", namespace },
              syncPolicy: { automated: { prune: true, selfHeal: true } },
            },
          },
        }),
      ],
      dependsOn: [argocd],
    });

    this.namespace = namespace;
    this.argocdReleaseName = argocd.name;
    this.argocdRelease = argocd;
    this.rootApplicationName = rootName;
    this.clusterSecretName = secretName;
    this.labels = labels;
    this.annotations = annotations;
  }
}

/** Path of `target` relative to the directory `from` (both relative to the repository root). */
function relativeTo(from: string, target: string): string {
  const a = from.split("/").filter(Boolean);
  const b = target.split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/** Ids and URLs go into annotations (any length); only short, label-safe values become labels. */
function clusterSecretMetadata(environment: string, props: GitopsBootstrapProps) {
  const m = props.metadata ?? {};
  const p = METADATA_PREFIX;
  const labels: Record<string, string> = {
    "argocd.argoproj.io/secret-type": "cluster",
    [`${p}/environment`]: environment,
  };
  if (!Token.isUnresolved(props.clusterName) && isLabelValue(props.clusterName)) {
    labels[`${p}/cluster-name`] = props.clusterName;
  }
  for (const [key, value] of Object.entries(m.labels ?? {})) labels[`${p}/${key}`] = value;

  const annotations: Record<string, string> = {
    [`${p}/environment`]: environment,
    [`${p}/cluster-name`]: props.clusterName,
  };
  const optional: [string, string | undefined][] = [
    ["vpc-id", m.vpcId],
    ["database-endpoint", m.databaseEndpoint],
    ["user-pool-id", m.userPoolId],
    ["region", m.region],
  ];
  for (const [key, value] of optional) if (value !== undefined) annotations[`${p}/${key}`] = value;
  for (const [key, value] of Object.entries(m.roleArns ?? {})) annotations[`${p}/role-${key}-arn`] = value;
  for (const [key, value] of Object.entries(m.queueUrls ?? {})) annotations[`${p}/queue-${key}-url`] = value;
  for (const [key, value] of Object.entries(m.secretArns ?? {}))
    annotations[`${p}/secrets-${key}-arn`] = value;
  return { labels, annotations };
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

function validateProps(props: GitopsBootstrapProps): void {
  const fail = (message: string): never => {
    throw new Error(`GitopsBootstrap: ${message}`);
  };
  for (const key of ["argocdChartVersion", "argocdAppsChartVersion"] as const) {
    const v = props[key];
    if (v !== undefined && !EXACT_VERSION.test(v)) {
      fail(`${key} must be an exact chart version such as 8.3.0 (no ranges), got '${v}'`);
    }
  }
  if (!Token.isUnresolved(props.repoUrl) && !REPO_URL.test(props.repoUrl)) {
    fail(`repoUrl must be an https:// or SSH git URL, got '${props.repoUrl}'`);
  }
  if (props.targetRevision !== undefined && !/^[A-Za-z0-9._/-]+$/.test(props.targetRevision)) {
    fail(`targetRevision must be a branch, tag or commit, got '${props.targetRevision}'`);
  }
  if (props.valuesFile !== undefined && !/^gitops\/[A-Za-z0-9._/-]+\.ya?ml$/.test(props.valuesFile)) {
    fail(`valuesFile must be a YAML file under gitops/, got '${props.valuesFile}'`);
  }
  const m = props.metadata ?? {};
  for (const group of ["roleArns", "queueUrls", "secretArns", "labels"] as const) {
    for (const [key, value] of Object.entries(m[group] ?? {})) {
      // The annotation/label name part (after the prefix) is limited to 63 characters.
      if (!KEY_WORD.test(key) || key.length > 50) {
        fail(`metadata.${group} key must be lowercase words joined by '-' (≤ 50 chars), got '${key}'`);
      }
      if (group === "labels" && (Token.isUnresolved(value) || !isLabelValue(value))) {
        fail(
          `metadata.labels.${key} must be a concrete label value (≤ 63 chars, alphanumerics, '-', '_', '.'), got '${value}'; put ids and URLs in annotations`,
        );
      }
    }
  }
  if (m.labels && Object.keys(m.labels).some((k) => k === "environment" || k === "cluster-name")) {
    fail("metadata.labels must not redefine 'environment' or 'cluster-name', which the construct sets");
  }
}
