/** Builders for small hand-made plans in tests. */

export interface ChangeSpec {
  readonly address?: string;
  readonly type?: string;
  readonly name?: string;
  readonly actions: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly afterUnknown?: unknown;
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
  readonly extra?: Record<string, unknown>;
  readonly changeExtra?: Record<string, unknown>;
}

/** One resource_changes entry. */
export function resourceChange(spec: ChangeSpec): Record<string, unknown> {
  const type = spec.type ?? "aws_instance";
  const name = spec.name ?? "this";
  return {
    address: spec.address ?? `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/hashicorp/aws",
    change: {
      actions: spec.actions,
      before: spec.before ?? null,
      after: spec.after ?? null,
      after_unknown: spec.afterUnknown ?? {},
      before_sensitive: spec.beforeSensitive ?? {},
      after_sensitive: spec.afterSensitive ?? {},
      ...spec.changeExtra,
    },
    ...spec.extra,
  };
}

/** A plan object with the given resource changes and top-level extras. */
export function planObject(changes: readonly ChangeSpec[], extra: Record<string, unknown> = {}) {
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: {} },
    resource_changes: changes.map(resourceChange),
    ...extra,
  };
}

/** The same, as JSON text. */
export function planText(changes: readonly ChangeSpec[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(planObject(changes, extra));
}
