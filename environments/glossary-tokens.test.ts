import { describe, expect, it } from "vitest";
import { glossaryIssues } from "../cli/commands/env.ts";
import { NameChecker } from "../core/glossary/check.ts";
import { repositoryGlossary } from "../modules/naming/repository-glossary.ts";
import type { EnvironmentConfig } from "./config.ts";
import { dev } from "./dev.ts";
import { checkGlossaryTokens } from "./glossary-tokens.ts";
import { environments } from "./index.ts";

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
const copy = (config: EnvironmentConfig) => structuredClone(config) as Mutable<EnvironmentConfig>;
const checker = new NameChecker(repositoryGlossary());

describe("glossary tokens of the environments (sluice env check)", () => {
  it("finds none in the shipped environments", () => {
    expect(glossaryIssues(environments)).toEqual([]);
  });

  it("reports a word synth's Namer would reject, with the field, the value and the suggestion", () => {
    const env = copy(dev);
    env.queues = [{ name: "ordrs" }];
    (env.cluster.nodeGroups[0] as { name: string }).name = "production";
    const issues = checkGlossaryTokens(
      [{ file: "environments/dev.ts", config: env as EnvironmentConfig }],
      checker,
    );
    expect(issues).toContainEqual({
      file: "environments/dev.ts",
      path: "queues[0].name",
      value: "ordrs",
      message:
        "'ordrs': 'ordrs' is not a glossary term; did you mean 'orders'? Use a term from glossary.md or add one there. Suggestion: 'orders'.",
    });
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "cluster.nodeGroups[0].name", value: "production" }),
    );
  });

  it("reports an environment name that is not an environment term", () => {
    const env = copy(dev) as { name: string };
    env.name = "orders";
    const issues = checkGlossaryTokens(
      [{ file: "environments/x.ts", config: env as EnvironmentConfig }],
      checker,
    );
    expect(issues[0]).toMatchObject({ path: "name", value: "orders" });
    expect(issues[0]?.message).toMatch(
      /^not an environment term of glossary\.md; expected one of dev, staging, prod/,
    );
  });

  it("requires each tenant's name to be a tenant term and its queues' names to be glossary terms", () => {
    const env = copy(dev);
    env.tenants = [
      { name: "acme", team: "acme", queues: [{ name: "ordrs" }] },
      { name: "initech", team: "initech" },
      { name: "orders", team: "orders" },
    ];
    const issues = checkGlossaryTokens(
      [{ file: "environments/dev.ts", config: env as EnvironmentConfig }],
      checker,
    );
    expect(issues.map((i) => `${i.path} = ${String(i.value)}: ${i.message.split(";")[0]}`)).toEqual([
      "tenants[1].name = initech: not a term of glossary.md",
      "tenants[2].name = orders: is a component term of glossary.md, not a tenant",
      "tenants[0].queues[0].name = ordrs: 'ordrs': 'ordrs' is not a glossary term",
    ]);
  });
});
