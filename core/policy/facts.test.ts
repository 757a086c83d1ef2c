import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compile.ts";
import type { ChangeContext, ContextPlan } from "./context.ts";
import { planDigest } from "./context.ts";
import { deriveFacts, isPolicyFile } from "./facts.ts";
import { facts, fakeContext, HEAD, OLD, plan, policy } from "./test/fake-context.ts";

// What one evaluation derives from a pull request. Policies are built inside each test (docs/testing.md).
const environmentsPolicy = () =>
  policy(`version: 1
environments:
  prod: { stacks: ["prod-*"] }
  shared: { addresses: ["module.shared.**"] }
  dev: { paths: ["gitops/envs/dev/**"] }
  web: { paths: ["web/**"], stacks: ["web-*"] }
rules:
  - name: any
    requires: { approvals: { count: 1 } }
`);

const derive = (overrides: Partial<ChangeContext>) =>
  deriveFacts(compilePolicy(environmentsPolicy()), fakeContext(overrides));

const file = (path: string) => ({ path, additions: 1, deletions: 0 });

const stacks = (...names: string[]): ContextPlan => ({
  commit: HEAD,
  stacks: names.map((name) => ({ name, facts: facts([], [], `sha256:${name}`) })),
});

describe("planDigest", () => {
  it("is the one stack's digest, or every stack's name=digest sorted by name", () => {
    expect(planDigest(stacks("b"))).toBe("sha256:b");
    expect(planDigest(stacks("b", "a"))).toBe("a=sha256:a,b=sha256:b");
  });
});

describe("isPolicyFile", () => {
  it.each([
    ["change-control.yaml", true],
    ["glossary.md", true],
    ["docs/glossary.md", true],
    ["CODEOWNERS", true],
    [".github/CODEOWNERS", true],
    ["docs/CODEOWNERS", true],
    ["src/CODEOWNERS", false],
    ["my-glossary.md", false],
    ["README.md", false],
  ])("%s: %s", (path, expected) => {
    expect(isPolicyFile(path)).toBe(expected);
  });

  it("lists the changed policy files sorted", () => {
    expect(derive({ files: [file("glossary.md"), file("CODEOWNERS")] }).policyFiles).toEqual([
      "CODEOWNERS",
      "glossary.md",
    ]);
  });
});

describe("plan status", () => {
  it("says the plan is for the head commit", () => {
    expect(derive({}).plan.message).toBe(`the plan is for the head commit ${HEAD.slice(0, 7)}`);
  });

  it("names the errored and incomplete stacks sorted", () => {
    const p: ContextPlan = {
      commit: HEAD,
      stacks: [
        { name: "b-stack", facts: { ...facts(), errored: true } },
        { name: "a-stack", facts: { ...facts(), complete: false } },
      ],
    };
    expect(derive({ plan: p }).plan.message).toBe(
      "the plan errored for a-stack (incomplete), b-stack: it cannot be approved until it runs cleanly and completely",
    );
  });
});

describe("environments touched", () => {
  it("counts the other files that show an environment", () => {
    const f = derive({ files: ["a", "b", "c"].map((n) => file(`gitops/envs/dev/${n}`)) });
    expect(f.environments.get("dev")).toEqual(["gitops/envs/dev/a and 2 more files changed"]);
  });

  it("lists the planned stacks that show an environment sorted", () => {
    const f = derive({ plan: stacks("prod-b", "prod-a") });
    expect(f.environments.get("prod")).toEqual(["stack prod-a, prod-b planned"]);
  });

  it("names the first planned change at a matching address that is no no-op or read", () => {
    const f = derive({
      plan: plan([
        { address: "module.shared.a", type: "t", kind: "noop" },
        { address: "module.shared.b", type: "t", kind: "read" },
        { address: "module.other.c", type: "t", kind: "update" },
        { address: "module.shared.d", type: "t", kind: "update" },
      ]),
    });
    expect(f.environments.get("shared")).toEqual(["module.shared.d planned"]);
  });

  it("reads no stacks from a stale plan: environments only a plan shows are unknown", () => {
    const f = derive({ plan: { ...stacks("prod-a"), commit: OLD } });
    expect(f.currentPlan).toBeUndefined();
    expect(f.environments.has("prod")).toBe(false);
    expect([...f.environmentsUnknown].sort()).toEqual(["prod", "shared", "web"]);
  });

  it("does not call an environment its files show unknown, plan or not", () => {
    const f = derive({ plan: undefined, files: [file("web/index.ts")] });
    expect(f.environments.get("web")).toEqual(["web/index.ts changed"]);
    expect([...f.environmentsUnknown].sort()).toEqual(["prod", "shared"]);
  });
});

describe("environmentsOf", () => {
  it("claims a change for the environments of its stack and of its address", () => {
    const f = derive({});
    expect([...f.environmentsOf("misc", "module.shared.x")]).toEqual(["shared"]);
    expect([...f.environmentsOf("misc", "module.other.x")]).toEqual([]);
    expect([...f.environmentsOf("prod-a", "module.other.x")]).toEqual(["prod"]);
    expect([...f.environmentsOf("prod-a", "module.shared.x")].sort()).toEqual(["prod", "shared"]);
    expect([...f.environmentsOf("misc", "module.shared.x")]).toEqual(["shared"]);
  });
});
