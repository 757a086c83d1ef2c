import type { NameChecker } from "../core/glossary/check.ts";
import type { EnvironmentConfig } from "./config.ts";
import type { ConfigIssue } from "./validate.ts";

/**
 * The glossary checks synth applies to an environment's words, run before synth: the environment's name
 * must be an environment term (the Namer's first token), and each token field the Namer builds names from
 * (node group, queue and app-client names, tenants' queue names) must be a glossary term, as `Namer.name`
 * requires, and each tenant's name must be a term of kind tenant.
 */
export function checkGlossaryTokens(
  envs: readonly { file: string; config: EnvironmentConfig }[],
  checker: NameChecker,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { file, config } of envs) {
    const term = checker.glossary.tokens.get(config.name);
    if (term?.kind !== "environment") {
      const expected = checker.glossary.terms.filter((t) => t.kind === "environment").map((t) => t.term);
      issues.push({
        file,
        path: "name",
        value: config.name,
        message: `not an environment term of ${checker.glossary.file}; expected one of ${expected.join(", ")}`,
      });
    }
    const fields: [string, readonly { readonly name: string }[] | undefined][] = [
      ["cluster.nodeGroups", config.cluster?.nodeGroups],
      ["queues", config.queues],
      ["identity.clients", config.identity?.clients],
    ];
    for (const [i, tenant] of (config.tenants ?? []).entries()) {
      fields.push([`tenants[${i}].queues`, tenant?.queues]);
      if (typeof tenant?.name !== "string" || tenant.name === "") continue;
      const kind = checker.glossary.tokens.get(tenant.name)?.kind;
      if (kind !== "tenant")
        issues.push({
          file,
          path: `tenants[${i}].name`,
          value: tenant.name,
          message:
            kind === undefined
              ? `not a term of ${checker.glossary.file}; add it to the 'Teams and tenants' table with kind tenant (docs/tenants.md)`
              : `is a ${kind} term of ${checker.glossary.file}, not a tenant; a tenant's name must be a term of kind tenant`,
        });
    }
    for (const [path, list] of fields) {
      for (const [i, item] of (list ?? []).entries()) {
        if (typeof item?.name !== "string" || item.name === "") continue;
        for (const finding of checker.check({ file, name: item.name, target: "generic" })) {
          issues.push({
            file,
            path: `${path}[${i}].name`,
            value: item.name,
            message: `${finding.message}${finding.suggestion ? ` Suggestion: '${finding.suggestion}'.` : ""}`,
          });
        }
      }
    }
  }
  return issues;
}
