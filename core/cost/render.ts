import type { PlanCostDiff } from "./diff.ts";
import type { Estimate, StackEstimate } from "./estimate.ts";
import { type Dec, formatDec, formatUsd } from "./money.ts";
import type { PricedResource } from "./price-resource.ts";
import type { CostComponent } from "./resources.ts";

/** Infracost's field names; money as exact decimal strings. */
function componentJson(c: CostComponent) {
  return {
    name: c.name,
    unit: c.unit,
    monthlyQuantity: c.monthlyQuantity === undefined ? null : formatDec(c.monthlyQuantity),
    price: c.price === undefined ? null : formatDec(c.price),
    monthlyCost: c.monthlyCost === undefined ? null : formatDec(c.monthlyCost),
    ...(c.dependsOnUsage && { dependsOnUsage: c.dependsOnUsage }),
    ...(c.notPriced && { notPriced: true }),
    ...(c.note && { note: c.note }),
  };
}

function resourceJson(r: PricedResource) {
  return {
    name: r.name,
    resourceType: r.type,
    monthlyCost: formatDec(r.monthlyCost),
    costComponents: r.costComponents.map(componentJson),
  };
}

function stackJson(s: StackEstimate) {
  return {
    name: s.name,
    region: s.region,
    monthlyCost: formatDec(s.monthlyCost),
    resources: s.resources.map(resourceJson),
    free: s.free,
    unsupported: s.unsupported.map((u) => ({ ...u, status: "not priced" })),
  };
}

export function estimateJson(e: Estimate): string {
  return `${JSON.stringify(
    {
      currency: e.currency,
      totalMonthlyCost: formatDec(e.totalMonthlyCost),
      environments: e.environments.map((env) => ({
        name: env.name,
        totalMonthlyCost: formatDec(env.monthlyCost),
        stacks: env.stacks.map(stackJson),
        findings: env.findings.map((f) => ({
          ...f,
          monthlySaving: f.monthlySaving === undefined ? null : formatDec(f.monthlySaving),
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

export function diffJson(d: PlanCostDiff): string {
  return `${JSON.stringify(
    {
      currency: d.currency,
      region: d.region,
      pastTotalMonthlyCost: formatDec(d.pastTotalMonthlyCost),
      totalMonthlyCost: formatDec(d.totalMonthlyCost),
      diffTotalMonthlyCost: formatDec(d.diffTotalMonthlyCost),
      resources: d.resources.map((r) => ({
        name: r.name,
        resourceType: r.type,
        action: r.kind,
        pastMonthlyCost: formatDec(r.pastMonthlyCost),
        monthlyCost: formatDec(r.monthlyCost),
        diffMonthlyCost: formatDec(r.diffMonthlyCost),
        pastCostComponents: r.past?.costComponents.map(componentJson) ?? [],
        costComponents: r.current?.costComponents.map(componentJson) ?? [],
      })),
      unsupported: d.unsupported.map((u) => ({ ...u, status: "not priced" })),
    },
    null,
    2,
  )}\n`;
}

function usageLines(resources: readonly PricedResource[]): string[] {
  const out: string[] = [];
  for (const r of resources) {
    for (const c of r.costComponents) {
      if (c.dependsOnUsage) out.push(`${r.name}: ${c.name} (usage key \`${c.dependsOnUsage}\`)`);
    }
  }
  return out;
}

const usd = (d: Dec) => formatUsd(d);

/** The estimate for people: Markdown (tables) or text. */
export function estimateText(e: Estimate, markdown: boolean): string {
  const out: string[] = [];
  const h = (level: number, text: string) =>
    out.push(markdown ? `${"#".repeat(level)} ${text}\n` : `${text}\n`);
  h(1, `Monthly cost estimate: ${usd(e.totalMonthlyCost)} (USD, on-demand)`);
  if (markdown) {
    out.push("| environment | monthly cost |\n|---|---:|");
    for (const env of e.environments) out.push(`| ${env.name} | ${usd(env.monthlyCost)} |`);
    out.push("");
  }
  for (const env of e.environments) {
    h(2, `${env.name}: ${usd(env.monthlyCost)} a month`);
    const top = env.stacks
      .flatMap((s) => s.resources)
      .filter((r) => r.monthlyCost > 0n)
      .sort((a, b) => (b.monthlyCost > a.monthlyCost ? 1 : b.monthlyCost < a.monthlyCost ? -1 : 0))
      .slice(0, 3);
    if (top.length > 0)
      out.push(
        `${markdown ? "" : "  "}Top drivers: ${top.map((r) => `${r.name} ${usd(r.monthlyCost)}`).join(", ")}`,
        "",
      );
    for (const s of env.stacks) {
      out.push(
        markdown
          ? `**${s.name}** (${s.region || "no AWS region"}): ${usd(s.monthlyCost)}\n`
          : `  ${s.name} (${s.region || "no AWS region"}): ${usd(s.monthlyCost)}`,
      );
      if (markdown && s.resources.length > 0)
        out.push(
          "| resource | component | quantity | unit | price | monthly |\n|---|---|---:|---|---:|---:|",
        );
      for (const r of s.resources) {
        for (const c of r.costComponents) {
          const q = c.monthlyQuantity === undefined ? "depends on usage" : formatDec(c.monthlyQuantity);
          const price = c.price === undefined ? "not priced" : `$${formatDec(c.price)}`;
          const cost = c.monthlyCost === undefined ? "–" : usd(c.monthlyCost);
          out.push(
            markdown
              ? `| ${r.name} | ${c.name} | ${q} | ${c.unit} | ${price} | ${cost} |`
              : `    ${r.name}  ${c.name}: ${q} ${c.unit} × ${price} = ${cost}`,
          );
        }
      }
      if (s.unsupported.length > 0) {
        out.push(
          `${markdown ? "\n" : "    "}Not priced: ${s.unsupported.map((u) => `${u.type} ×${u.count}`).join(", ")}`,
        );
      }
      out.push("");
    }
    const usage = env.stacks.flatMap((s) => usageLines(s.resources));
    if (usage.length > 0) {
      out.push(
        `${markdown ? "" : "  "}Depends on usage (left out of the totals; give figures in usage/${env.name}.yml): ${usage.length} component(s)`,
      );
      out.push(...usage.map((u) => `${markdown ? "- " : "    "}${u}`), "");
    }
    if (env.findings.length > 0) {
      out.push(markdown ? "Right-sizing:\n" : "  Right-sizing:");
      for (const f of env.findings) {
        const saving =
          f.monthlySaving === undefined ? "saving depends on usage" : `saves ${usd(f.monthlySaving)}/month`;
        out.push(
          `${markdown ? "- " : "    "}[${f.rule}] ${f.resource}: ${f.message}; ${saving}; change ${f.setting}`,
        );
      }
      out.push("");
    }
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** The plan's cost delta for people. */
export function diffText(d: PlanCostDiff, markdown: boolean): string {
  const out: string[] = [];
  const sign = (x: Dec) => formatUsd(x, { sign: true });
  out.push(
    `${markdown ? "### " : ""}Monthly cost: ${usd(d.pastTotalMonthlyCost)} → ${usd(d.totalMonthlyCost)} (${sign(d.diffTotalMonthlyCost)}), ${d.region}`,
    "",
  );
  const changed = d.resources.filter((r) => r.diffMonthlyCost !== 0n || r.kind !== "noop");
  if (markdown && changed.length > 0)
    out.push("| resource | action | before | after | delta |\n|---|---|---:|---:|---:|");
  for (const r of changed) {
    out.push(
      markdown
        ? `| ${r.name} | ${r.kind} | ${usd(r.pastMonthlyCost)} | ${usd(r.monthlyCost)} | ${sign(r.diffMonthlyCost)} |`
        : `  ${r.kind.padEnd(8)} ${r.name}: ${usd(r.pastMonthlyCost)} → ${usd(r.monthlyCost)} (${sign(r.diffMonthlyCost)})`,
    );
  }
  const usage = usageLines(d.resources.flatMap((r) => (r.current ? [r.current] : [])));
  if (usage.length > 0) out.push("", `Depends on usage (left out): ${usage.join("; ")}`);
  if (d.unsupported.length > 0)
    out.push("", `Not priced: ${d.unsupported.map((u) => `${u.type} ×${u.count}`).join(", ")}`);
  return `${out.join("\n").trimEnd()}\n`;
}

/** The section the plan review's Markdown shows: the delta and the top three drivers. */
export function costSection(d: PlanCostDiff): string {
  const drivers = d.resources.filter((r) => r.diffMonthlyCost !== 0n).slice(0, 3);
  const lines = [
    `### Cost\n`,
    `Monthly cost of the changed resources: ${usd(d.pastTotalMonthlyCost)} → ${usd(d.totalMonthlyCost)} (**${formatUsd(d.diffTotalMonthlyCost, { sign: true })}** a month, on-demand, ${d.region}).`,
  ];
  if (drivers.length > 0) {
    lines.push("", "Top drivers:");
    for (const r of drivers)
      lines.push(`- \`${r.name}\` (${r.kind}): ${formatUsd(r.diffMonthlyCost, { sign: true })}`);
  }
  if (d.unsupported.length > 0)
    lines.push("", `Not priced: ${d.unsupported.map((u) => `\`${u.type}\` ×${u.count}`).join(", ")}.`);
  return `${lines.join("\n")}\n`;
}
