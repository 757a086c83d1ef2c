import type { EnvironmentConfig } from "../environments/config.ts";

/** Provider default tags: every taggable resource of an environment carries them. */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return {
    environment: env.name,
    "owner-team": env.tags.ownerTeam,
    "cost-centre": env.tags.costCentre,
    "managed-by": "sluice",
    repository: env.tags.repository,
  };
}
