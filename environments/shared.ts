/** Settings every environment shares; a fork changes them once here. */
export const organisation = {
  repository: "example-org/sluice",
  ownerTeam: "platform",
  gitopsRepoUrl: "https://github.com/example-org/sluice.git",
  /** Pinned Argo CD Helm chart (argo/argo-cd), the GitopsBootstrap default too: 10.9.2 ships Argo CD v3.5.3. */
  argoCdChartVersion: "10.9.2",
  /** In EKS standard support until 2027-03-27 (modules/cluster/versions.ts). */
  kubernetesVersion: "1.35",
  postgresVersion: "16",
} as const;
