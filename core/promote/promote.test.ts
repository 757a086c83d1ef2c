import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { introduce, type PromoteInput, promote, unifiedDiff } from "./promote.ts";
import { appDigestLine, withAppDigest } from "./test/digests.ts";

const root = resolve(import.meta.dirname, "../..");
const envFile = (env: string) => `gitops/envs/${env}/values.yaml`;
const read = (env: string) => readFileSync(join(root, envFile(env)), "utf8");
const ORDER = ["dev", "staging", "prod"];
const NEW = `sha256:${"ab".repeat(32)}`;
const OLD = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

/** dev's real values file with a new orders digest, as the build's dev pull request leaves it. */
const devText = withAppDigest(read("dev"), "orders", OLD, NEW);

function input(over: Partial<PromoteInput> = {}): PromoteInput {
  return {
    service: "orders",
    from: "dev",
    to: "staging",
    order: ORDER,
    source: { file: envFile("dev"), text: devText },
    target: { file: envFile("staging"), text: read("staging") },
    ...over,
  };
}

describe("promote", () => {
  it("moves the source's digest into the target's file and changes nothing else", () => {
    const result = promote(input());
    expect(result).toMatchObject({ changed: true, digest: NEW, previous: OLD });
    expect(result.targetRepository).toBe("222222222222.dkr.ecr.eu-west-1.amazonaws.com/staging-orders");
    expect(result.sourceRepository).toBe("111111111111.dkr.ecr.eu-west-1.amazonaws.com/dev-orders");
    const before = read("staging").split("\n");
    const after = result.text.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line !== before[i] ? [[before[i], line]] : []));
    expect(changed).toEqual([[`        digest: ${OLD}`, `        digest: ${NEW}`]]);
    // The parsed file differs from the original in that one field only.
    const expected = parse(read("staging"));
    expected.apps.orders.values.image.digest = NEW;
    expect(parse(result.text)).toEqual(expected);
  });

  it("prints a unified diff of exactly that one line with its context", () => {
    const { diff } = promote(input());
    expect(diff).toBe(
      [
        "--- a/gitops/envs/staging/values.yaml",
        "+++ b/gitops/envs/staging/values.yaml",
        `@@ -${appDigestLine(read("staging"), "orders") - 3},7 +${appDigestLine(read("staging"), "orders") - 3},7 @@`,
        "     values:",
        "       image:",
        "         repository: 222222222222.dkr.ecr.eu-west-1.amazonaws.com/staging-orders",
        `-        digest: ${OLD}`,
        `+        digest: ${NEW}`,
        "       replicas: 2",
        "       resources:",
        "         requests: { cpu: 100m, memory: 128Mi }",
        "",
      ].join("\n"),
    );
    expect(diff.split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l))).toHaveLength(2);
  });

  it("keeps quotes and leaves the same digest elsewhere (a comment, another app) alone", () => {
    const target = [
      "apps:",
      "  other:",
      "    values:",
      `      image: { repository: r, digest: ${OLD} }`,
      "  orders:",
      `    # was ${OLD} before`,
      "    values:",
      "      image:",
      `        digest: "${OLD}" # pinned by the pipeline`,
      "",
    ].join("\n");
    const result = promote(input({ target: { file: "t.yaml", text: target } }));
    expect(result.text).toBe(target.replace(`"${OLD}"`, `"${NEW}"`));
    expect(result.diff).toContain(`+        digest: "${NEW}" # pinned by the pipeline`);
  });

  it("is a no-op when the target already runs the digest", () => {
    const staging = withAppDigest(read("staging"), "orders", OLD, NEW);
    const result = promote(input({ target: { file: envFile("staging"), text: staging } }));
    expect(result).toMatchObject({ changed: false, diff: "", text: staging, digest: NEW, previous: NEW });
  });

  it("goes one step along dev → staging → prod, never skipping, reversing or staying", () => {
    const prod = { file: envFile("prod"), text: read("prod") };
    expect(() => promote(input({ to: "prod", target: prod }))).toThrow(
      "'dev' promotes to 'staging' only (order: dev → staging → prod), not to 'prod'",
    );
    expect(() => promote(input({ from: "staging", to: "dev" }))).toThrow("'staging' promotes to 'prod' only");
    expect(() => promote(input({ from: "prod", to: "prod" }))).toThrow("--from and --to are both 'prod'");
    expect(() => promote(input({ from: "qa" }))).toThrow(
      "--from: unknown environment 'qa' (expected one of dev, staging, prod)",
    );
    expect(() => promote(input({ to: "live" }))).toThrow("--to: unknown environment 'live'");
    expect(
      promote(input({ from: "staging", to: "prod", source: { file: "s", text: devText }, target: prod }))
        .changed,
    ).toBe(true);
  });

  it("names the file, line and field of what it cannot promote", () => {
    expect(() => promote(input({ service: "payments" }))).toThrow(
      "gitops/envs/dev/values.yaml: no app 'payments' under apps (apps here: platform, webhook, orders)",
    );
    expect(() => promote(input({ service: "platform" }))).toThrow(
      "gitops/envs/dev/values.yaml: apps.platform.values.image.digest: expected an image digest, found none",
    );
    const tagged = devText.replace(NEW, "latest");
    expect(() => promote(input({ source: { file: "dev.yaml", text: tagged } }))).toThrow(
      `dev.yaml:${appDigestLine(devText, "orders")}: apps.orders.values.image.digest: expected sha256:<64 hex digits>, got "latest"`,
    );
    expect(() => promote(input({ target: { file: "bad.yaml", text: "apps:\n  orders: [\n" } }))).toThrow(
      /^bad\.yaml:\d+: not valid YAML/,
    );
    expect(() => promote(input({ target: { file: "list.yaml", text: "apps: [1]\n" } }))).toThrow(
      "list.yaml: expected a mapping at apps",
    );
  });
});

describe("unifiedDiff", () => {
  it("refuses anything but a one-line change", () => {
    expect(() => unifiedDiff("f", "a\nb\n", "a\nc\nd\n")).toThrow("this one would change the line count");
    expect(() => unifiedDiff("f", "a\nb\n", "x\ny\n")).toThrow("this one would change 2 lines");
    expect(() => unifiedDiff("f", "a\n", "a\n")).toThrow("this one would change 0 lines");
  });

  it("clips the context at the start and end of the file", () => {
    expect(unifiedDiff("f", "a\nb\n", "a\nB\n")).toBe("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n");
    expect(unifiedDiff("f", "a", "b")).toBe("--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n+b\n");
  });
});

describe("introduce", () => {
  const target = { file: envFile("dev"), text: read("dev") };
  it("sets a freshly built digest in the first environment only", () => {
    const result = introduce({ service: "orders", to: "dev", order: ORDER, digest: NEW, target });
    expect(result).toMatchObject({ changed: true, digest: NEW, previous: OLD });
    expect(result.text).toBe(devText);
    expect(result.diff).toContain(`-        digest: ${OLD}\n+        digest: ${NEW}\n`);
    expect(() => introduce({ service: "orders", to: "staging", order: ORDER, digest: NEW, target })).toThrow(
      "--digest sets a new image in 'dev' only (order: dev → staging → prod); later environments get it by promotion",
    );
    expect(() =>
      introduce({ service: "orders", to: "dev", order: ORDER, digest: "sha256:abc", target }),
    ).toThrow('--digest: expected sha256:<64 hex digits>, got "sha256:abc"');
  });
});
