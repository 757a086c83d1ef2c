import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Aspects, Testing } from "cdktf";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { fixtureGlossary } from "../../core/glossary/test/fixture.ts";
import { synthJson, testStack } from "../test/stack.ts";
import { Namer, NamingError } from "./namer.ts";
import { NamingAspect, NamingViolationError } from "./naming-aspect.ts";

const namer = new Namer({ environment: "dev", glossary: fixtureGlossary });

/** A construct the way every Sluice construct names things: through the Namer. */
class OrdersQueue extends Construct {
  readonly queue: SqsQueue;
  constructor(scope: Construct, id: string, props: { readonly token: string }) {
    super(scope, id);
    this.queue = new SqsQueue(this, "queue", {
      name: Namer.of(this).name("sqs-queue", props.token, "queue"),
    });
  }
}

describe("Namer", () => {
  it("builds {env}-{tokens} names, lowercase, with .fifo for FIFO queues", () => {
    expect(namer.name("rds-identifier", "acme", "orders", "db")).toBe("dev-acme-orders-db");
    expect(namer.name("sqs-fifo-queue", "orders", "queue")).toBe("dev-orders-queue.fifo");
    expect(namer.name("iam-role", "app-Orders", "role")).toBe("dev-app-orders-role");
  });

  it("shortens deterministically to the target's limit with a hash the checks accept", () => {
    const tokens = ["acme", "orders", "repository", "queue", "state"];
    const name = namer.name("alb", ...tokens);
    expect(name).toMatch(/^dev-acme-orders-[0-9a-f]{8}$/);
    expect(name.length).toBeLessThanOrEqual(32);
    expect(namer.name("alb", ...tokens)).toBe(name);
    expect(namer.name("alb", "acme", "orders", "repository", "queue", "logs")).not.toBe(name);
    const fifo = namer.name("sqs-fifo-queue", ...Array(20).fill("orders"));
    expect(fifo).toMatch(/-[0-9a-f]{8}\.fifo$/);
    expect(fifo.length).toBeLessThanOrEqual(80);
  });

  it("refuses a non-glossary token with the suggestion, and a deprecated synonym with its term", () => {
    expect(() => namer.name("sqs-queue", "ordrs", "queue")).toThrow(
      /'ordrs' is not a glossary term; did you mean 'orders'.*Suggestion: 'dev-orders-queue'/,
    );
    expect(() => namer.name("rds-identifier", "database")).toThrow(
      /'database', a deprecated synonym of the glossary term 'db'/,
    );
    expect(() => namer.name("rds-identifier")).toThrow(NamingError);
  });

  it("refuses an environment that is not an environment term", () => {
    expect(() => new Namer({ environment: "production", glossary: fixtureGlossary })).toThrow(
      /environment 'production' is not an environment term of glossary\.md; expected one of dev, prod/,
    );
    expect(() => new Namer({ environment: "orders", glossary: fixtureGlossary })).toThrow(NamingError);
  });

  it("loads the repository's glossary.md by default, holding every term the platform names with", () => {
    const repoNamer = new Namer({ environment: "prod" });
    expect(repoNamer.name("iam-role", "gitops", "plan", "role")).toBe("prod-gitops-plan-role");
    expect(repoNamer.name("s3-bucket", "state", "tfstate")).toBe("prod-state-tfstate");
  });
});

describe("a construct named through the Namer", () => {
  it("synthesizes its glossary name", () => {
    const stack = testStack();
    new OrdersQueue(stack, "orders", { token: "orders" });
    const json = synthJson(stack);
    expect(Object.values(json.resource?.aws_sqs_queue ?? {})).toEqual([
      expect.objectContaining({ name: "dev-orders-queue" }),
    ]);
  });

  it("fails synth when given a non-glossary name, with the suggestion", () => {
    const stack = testStack();
    expect(() => new OrdersQueue(stack, "orders", { token: "ordrs" })).toThrow(/did you mean 'orders'/);
  });
});

describe("NamingAspect", () => {
  it("fails synth listing every hand-written name that breaks the glossary or a limit", () => {
    const stack = testStack();
    Aspects.of(stack).add(new NamingAspect({ glossary: fixtureGlossary }));
    new SqsQueue(stack, "bad", { name: "prd_orders-queue" });
    new IamRole(stack, "long", { name: `dev-${"app-".repeat(20)}role`, assumeRolePolicy: "{}" });
    const ok = new SqsQueue(stack, "ok", { name: "dev-orders-queue" });
    new SqsQueue(stack, "ref", { name: `${ok.name}-logs` });
    new SqsQueue(stack, "partial", { name: `live-${ok.name}` });
    let error: unknown;
    try {
      Testing.synth(stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NamingViolationError);
    const findings = (error as NamingViolationError).findings;
    expect(findings.map((f) => [f.name, f.rule]).sort()).toEqual([
      [`dev-${"app-".repeat(20)}role`, "too-long"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the synthesized Terraform reference
      ["live-${aws_sqs_queue.ok.name}", "deprecated-synonym"],
      ["prd_orders-queue", "deprecated-synonym"],
    ]);
    expect((error as Error).message).toMatch(/aws_iam_role\.long\.name: iam-role name 'dev-app-/);
    expect((error as Error).message).toMatch(
      /aws_sqs_queue\.bad\.name: 'prd_orders-queue' uses 'prd'.*Suggestion: 'prod_orders-queue'/,
    );
  });

  it("passes a stack whose names all come from the Namer", () => {
    const stack = testStack();
    Aspects.of(stack).add(new NamingAspect());
    new OrdersQueue(stack, "orders", { token: "orders" });
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});
