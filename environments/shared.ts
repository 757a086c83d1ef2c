/** Settings every environment shares; a fork changes them once here. */
export const organisation = {
  repository: "example-org/sluice",
  ownerTeam: "platform",
  gitopsRepoUrl: "https://github.com/example-org/sluice.git",
  /** Pinned Argo CD Helm chart (argo/argo-cd). */
  argoCdChartVersion: "9.1.0",
  kubernetesVersion: "1.33",
  postgresVersion: "16",
} as const;
