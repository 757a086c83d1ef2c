import { describe, expect, it } from "vitest";
import { UTF16_MESSAGE } from "../text-encoding.ts";
import { parseContext } from "./context-schema.ts";
import { formatSourceError } from "./source-errors.ts";
import { MISSING, type Path, setAt } from "./test/edit.ts";

const SHA = "abcdef1234567";

/** A valid context with every optional part present, built fresh for each test. */
function full(): Record<string, unknown> {
  return {
    $schema: "https://example.test/context.schema.json",
    description: "a pull request",
    repository: "o/r",
    number: 7,
    author: "a",
    headSha: SHA,
    baseBranch: "main",
    lastPusher: "a",
    labels: ["x"],
    commits: [{ sha: SHA, author: "a", committer: "a", message: "m" }],
    files: [{ path: "f.ts", additions: 1, deletions: 0 }],
    reviews: [
      {
        user: "b",
        state: "APPROVED",
        commitId: SHA,
        submittedAt: "2026-06-02T07:30:00Z",
        planDigest: "p",
        diffDigest: "d",
      },
    ],
    organization: { login: "o", members: ["a", "b"] },
    teams: { "o/t": ["b"] },
    emails: { "a@x.test": "a" },
    codeowners: "* @o/t\n",
    diffDigest: "d",
    plan: {
      commit: SHA,
      stacks: [
        {
          name: "s",
          facts: {
            digest: "p",
            changes: [{ address: "x.y", type: "x", kind: "delete" }],
            findings: [{ rule: "r", severity: "high", address: "x.y", reason: "why" }],
            drift: [],
            errored: false,
            complete: true,
            cost: {
              currency: "USD",
              pastTotalMonthlyCost: "1",
              totalMonthlyCost: "2.5",
              diffTotalMonthlyCost: "-1.25",
              drivers: [{ address: "x.y", diffMonthlyCost: "1" }],
            },
          },
        },
      ],
    },
    glossaryFindings: [
      { file: "g.tf", line: 3, name: "n", target: "t", rule: "r", message: "m", suggestion: "s" },
    ],
    override: { by: "b", reason: "because", rules: ["r"] },
  };
}

/** The least a context needs. */
function minimal(): Record<string, unknown> {
  return {
    author: "a",
    headSha: SHA,
    baseBranch: "main",
    lastPusher: "a",
    organization: { login: "o" },
  };
}

function parse(value: unknown) {
  return parseContext(JSON.stringify(value, null, 2), "pr.json");
}

/** `path: message` of each error for a full context with the value at `path` set (or left out). */
function errorsAfter(path: Path, value: unknown): string[] {
  const c = setAt(full(), path, value);
  const r = parse(c);
  if (r.ok) throw new Error("expected errors");
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe("parseContext", () => {
  it("accepts a full context and leaves out $schema and description", () => {
    const r = parse(full());
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    const { $schema: _s, description: _d, ...rest } = full();
    expect(r.value).toEqual(rest);
    expect(r.value).not.toHaveProperty("$schema");
    expect(r.value).not.toHaveProperty("description");
  });

  it("fills in the defaults of a minimal context", () => {
    const r = parse(minimal());
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    expect(r.value).toEqual({
      ...minimal(),
      organization: { login: "o", members: [] },
      labels: [],
      commits: [],
      files: [],
      reviews: [],
      teams: {},
      glossaryFindings: [],
    });
  });

  it("fills in the defaults inside commits, files and plan facts", () => {
    const c = minimal();
    c.commits = [{ sha: SHA }];
    c.files = [{ path: "f.ts" }];
    c.plan = {
      commit: SHA,
      stacks: [{ name: "s", facts: { digest: "p", changes: [], findings: [] } }],
    };
    const r = parse(c);
    if (!r.ok) throw new Error(r.errors.map(formatSourceError).join("\n"));
    expect(r.value.commits).toEqual([{ sha: SHA, message: "" }]);
    expect(r.value.files).toEqual([{ path: "f.ts", additions: 0, deletions: 0 }]);
    expect(r.value.plan?.stacks[0]?.facts).toEqual({
      digest: "p",
      changes: [],
      findings: [],
      drift: [],
      errored: false,
    });
  });

  it.each<[string, string]>([
    ["ABCDEF1", "upper-case hex"],
    ["abcdef1", "7 hex digits"],
    ["a".repeat(64), "64 hex digits"],
  ])("accepts the commit SHA %s (%s)", (sha) => {
    const c = minimal();
    c.headSha = sha;
    expect(parse(c).ok).toBe(true);
  });

  it.each(["pastTotalMonthlyCost", "totalMonthlyCost", "diffTotalMonthlyCost"])(
    "accepts whole, negative and 12-decimal USD amounts as %s",
    (key) => {
      for (const amount of ["120", "-120", "0.5", "-3.123456789012"]) {
        const c = full();
        const stack = (c.plan as { stacks: { facts: { cost: Record<string, unknown> } }[] }).stacks[0];
        if (stack) stack.facts.cost[key] = amount;
        const r = parse(c);
        expect(r.ok && r.value.plan?.stacks[0]?.facts.cost?.[key as "totalMonthlyCost"]).toBe(amount);
      }
    },
  );

  it("accepts a review time with an offset", () => {
    const c = full();
    const [review] = c.reviews as Record<string, unknown>[];
    c.reviews = [{ ...review, submittedAt: "2026-06-02T09:30:00+02:00" }];
    const r = parse(c);
    expect(r.ok && r.value.reviews[0]?.submittedAt).toBe("2026-06-02T09:30:00+02:00");
  });

  it.each<[string, Path, unknown, string]>([
    ["an empty author", ["author"], "", 'author: got "", expected a non-empty string'],
    ["a missing author", ["author"], MISSING, "author: missing, expected string"],
    ["a short SHA", ["headSha"], "abcdef", 'headSha: got "abcdef", expected a commit SHA (hex)'],
    [
      "a too long SHA",
      ["headSha"],
      "a".repeat(65),
      `headSha: got "${"a".repeat(56)}..., expected a commit SHA (hex)`,
    ],
    [
      "a SHA with a non-hex prefix",
      ["headSha"],
      "zzabcdef1",
      'headSha: got "zzabcdef1", expected a commit SHA (hex)',
    ],
    [
      "a SHA with a non-hex suffix",
      ["headSha"],
      "abcdef1zz",
      'headSha: got "abcdef1zz", expected a commit SHA (hex)',
    ],
    ["an empty base branch", ["baseBranch"], "", 'baseBranch: got "", expected a non-empty string'],
    ["an empty last pusher", ["lastPusher"], "", 'lastPusher: got "", expected a non-empty string'],
    ["a fractional number", ["number"], 1.5, "number: got 1.5, expected int"],
    ["a repository that is not text", ["repository"], 1, "repository: got 1, expected string"],
    ["a $schema that is not text", ["$schema"], 1, "$schema: got 1, expected string"],
    ["a description that is not text", ["description"], 1, "description: got 1, expected string"],
    ["an unknown field", ["extra"], 1, "extra: unknown field 'extra'"],
    ["a label that is not text", ["labels"], [1], "labels[0]: got 1, expected string"],
    [
      "a commit with a bad SHA",
      ["commits", 0, "sha"],
      "nope",
      'commits[0].sha: got "nope", expected a commit SHA (hex)',
    ],
    [
      "a commit with an empty author",
      ["commits", 0, "author"],
      "",
      'commits[0].author: got "", expected a non-empty string',
    ],
    [
      "a commit with an empty committer",
      ["commits", 0, "committer"],
      "",
      'commits[0].committer: got "", expected a non-empty string',
    ],
    [
      "a commit message that is not text",
      ["commits", 0, "message"],
      1,
      "commits[0].message: got 1, expected string",
    ],
    ["an unknown commit field", ["commits", 0, "x"], 1, "commits[0].x: unknown field 'x'"],
    [
      "a file with an empty path",
      ["files", 0, "path"],
      "",
      'files[0].path: got "", expected a non-empty string',
    ],
    [
      "a file with negative additions",
      ["files", 0, "additions"],
      -1,
      "files[0].additions: got -1, expected at least 0",
    ],
    [
      "a file with fractional additions",
      ["files", 0, "additions"],
      0.5,
      "files[0].additions: got 0.5, expected int",
    ],
    [
      "a file with negative deletions",
      ["files", 0, "deletions"],
      -1,
      "files[0].deletions: got -1, expected at least 0",
    ],
    [
      "a file with fractional deletions",
      ["files", 0, "deletions"],
      0.5,
      "files[0].deletions: got 0.5, expected int",
    ],
    ["an unknown file field", ["files", 0, "x"], 1, "files[0].x: unknown field 'x'"],
    [
      "a review by nobody",
      ["reviews", 0, "user"],
      "",
      'reviews[0].user: got "", expected a non-empty string',
    ],
    [
      "a review state GitHub does not have",
      ["reviews", 0, "state"],
      "LGTM",
      'reviews[0].state: got "LGTM", expected "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED" or "COMMENTED"',
    ],
    [
      "a review on a bad commit",
      ["reviews", 0, "commitId"],
      "HEAD",
      'reviews[0].commitId: got "HEAD", expected a commit SHA (hex)',
    ],
    [
      "a review time that is not ISO 8601",
      ["reviews", 0, "submittedAt"],
      "yesterday",
      'reviews[0].submittedAt: got "yesterday", expected an ISO 8601 time such as 2026-06-02T07:30:00Z',
    ],
    [
      "a review time without a zone",
      ["reviews", 0, "submittedAt"],
      "2026-06-02T07:30:00",
      'reviews[0].submittedAt: got "2026-06-02T07:30:00", expected an ISO 8601 time such as 2026-06-02T07:30:00Z',
    ],
    [
      "an empty review plan digest",
      ["reviews", 0, "planDigest"],
      "",
      'reviews[0].planDigest: got "", expected a non-empty string',
    ],
    [
      "an empty review diff digest",
      ["reviews", 0, "diffDigest"],
      "",
      'reviews[0].diffDigest: got "", expected a non-empty string',
    ],
    ["an unknown review field", ["reviews", 0, "x"], 1, "reviews[0].x: unknown field 'x'"],
    [
      "an organization without a login",
      ["organization", "login"],
      "",
      'organization.login: got "", expected a non-empty string',
    ],
    [
      "an empty organization member",
      ["organization", "members"],
      [""],
      'organization.members[0]: got "", expected a non-empty string',
    ],
    ["an unknown organization field", ["organization", "x"], 1, "organization.x: unknown field 'x'"],
    ["an empty team member", ["teams"], { "o/t": [""] }, 'teams.o/t[0]: got "", expected a non-empty string'],
    ["a team that is not a list", ["teams"], { "o/t": "b" }, 'teams.o/t: got "b", expected array'],
    [
      "an e-mail to nobody",
      ["emails"],
      { "a@x.test": "" },
      'emails.a@x.test: got "", expected a non-empty string',
    ],
    ["codeowners that is not text", ["codeowners"], 1, "codeowners: got 1, expected string"],
    ["an empty diff digest", ["diffDigest"], "", 'diffDigest: got "", expected a non-empty string'],
    ["a plan on a bad commit", ["plan", "commit"], "x", 'plan.commit: got "x", expected a commit SHA (hex)'],
    ["a plan without stacks", ["plan", "stacks"], [], "plan.stacks: got [], expected at least 1 item(s)"],
    [
      "a stack without a name",
      ["plan", "stacks", 0, "name"],
      "",
      'plan.stacks[0].name: got "", expected a non-empty string',
    ],
    ["an unknown plan field", ["plan", "x"], 1, "plan.x: unknown field 'x'"],
    ["an unknown stack field", ["plan", "stacks", 0, "x"], 1, "plan.stacks[0].x: unknown field 'x'"],
    [
      "an empty plan digest",
      ["plan", "stacks", 0, "facts", "digest"],
      "",
      'plan.stacks[0].facts.digest: got "", expected a non-empty string',
    ],
    [
      "a change kind the plan reader does not make",
      ["plan", "stacks", 0, "facts", "changes", 0, "kind"],
      "destroy",
      'plan.stacks[0].facts.changes[0].kind: got "destroy", expected "create"',
    ],
    [
      "a change without an address",
      ["plan", "stacks", 0, "facts", "changes", 0, "address"],
      MISSING,
      "plan.stacks[0].facts.changes[0].address: missing, expected string",
    ],
    [
      "a change without a type",
      ["plan", "stacks", 0, "facts", "changes", 0, "type"],
      MISSING,
      "plan.stacks[0].facts.changes[0].type: missing, expected string",
    ],
    [
      "a finding with an unknown severity",
      ["plan", "stacks", 0, "facts", "findings", 0, "severity"],
      "severe",
      'plan.stacks[0].facts.findings[0].severity: got "severe", expected "critical"',
    ],
    [
      "a finding without a rule",
      ["plan", "stacks", 0, "facts", "findings", 0, "rule"],
      MISSING,
      "plan.stacks[0].facts.findings[0].rule: missing, expected string",
    ],
    [
      "a finding without an address",
      ["plan", "stacks", 0, "facts", "findings", 0, "address"],
      MISSING,
      "plan.stacks[0].facts.findings[0].address: missing, expected string",
    ],
    [
      "a finding without a reason",
      ["plan", "stacks", 0, "facts", "findings", 0, "reason"],
      MISSING,
      "plan.stacks[0].facts.findings[0].reason: missing, expected string",
    ],
    [
      "a finding with a resource type that is not text",
      ["plan", "stacks", 0, "facts", "findings", 0, "resourceType"],
      1,
      "plan.stacks[0].facts.findings[0].resourceType: got 1, expected string",
    ],
    [
      "drift without an address",
      ["plan", "stacks", 0, "facts", "drift"],
      [{ type: "x" }],
      "plan.stacks[0].facts.drift[0].address: missing, expected string",
    ],
    [
      "drift without a type",
      ["plan", "stacks", 0, "facts", "drift"],
      [{ address: "x.y" }],
      "plan.stacks[0].facts.drift[0].type: missing, expected string",
    ],
    [
      "errored that is not a boolean",
      ["plan", "stacks", 0, "facts", "errored"],
      "no",
      'plan.stacks[0].facts.errored: got "no", expected boolean',
    ],
    [
      "complete that is not a boolean",
      ["plan", "stacks", 0, "facts", "complete"],
      "yes",
      'plan.stacks[0].facts.complete: got "yes", expected boolean',
    ],
    [
      "a cost in another currency",
      ["plan", "stacks", 0, "facts", "cost", "currency"],
      "EUR",
      'plan.stacks[0].facts.cost.currency: got "EUR", expected "USD"',
    ],
    ...(["pastTotalMonthlyCost", "totalMonthlyCost", "diffTotalMonthlyCost"] as const).flatMap(
      (key): [string, Path, unknown, string][] =>
        ["$1", "1.", "1.1234567890123", "1e3", "x1", "1x", ""].map((bad) => [
          `a ${key} of ${JSON.stringify(bad)}`,
          ["plan", "stacks", 0, "facts", "cost", key],
          bad,
          `plan.stacks[0].facts.cost.${key}: got ${JSON.stringify(bad)}, expected a decimal USD string such as "120.5"`,
        ]),
    ),
    [
      "a cost driver without an address",
      ["plan", "stacks", 0, "facts", "cost", "drivers"],
      [{ diffMonthlyCost: "1" }],
      "plan.stacks[0].facts.cost.drivers[0].address: missing, expected string",
    ],
    [
      "a cost driver without a cost",
      ["plan", "stacks", 0, "facts", "cost", "drivers"],
      [{ address: "x.y" }],
      "plan.stacks[0].facts.cost.drivers[0].diffMonthlyCost: missing, expected string",
    ],
    [
      "an unknown cost driver field",
      ["plan", "stacks", 0, "facts", "cost", "drivers", 0, "x"],
      1,
      "plan.stacks[0].facts.cost.drivers[0].x: unknown field 'x'",
    ],
    [
      "an unknown cost field",
      ["plan", "stacks", 0, "facts", "cost", "x"],
      1,
      "plan.stacks[0].facts.cost.x: unknown field 'x'",
    ],
    ...(["file", "name", "target", "rule", "message"] as const).map(
      (key): [string, Path, unknown, string] => [
        `a glossary finding without ${key}`,
        ["glossaryFindings", 0, key],
        MISSING,
        `glossaryFindings[0].${key}: missing, expected string`,
      ],
    ),
    [
      "a glossary finding on a fractional line",
      ["glossaryFindings", 0, "line"],
      1.5,
      "glossaryFindings[0].line: got 1.5, expected int",
    ],
    [
      "a glossary suggestion that is not text",
      ["glossaryFindings", 0, "suggestion"],
      1,
      "glossaryFindings[0].suggestion: got 1, expected string",
    ],
    ["an override by nobody", ["override", "by"], "", 'override.by: got "", expected a non-empty string'],
    [
      "an override without a reason",
      ["override", "reason"],
      MISSING,
      "override.reason: missing, expected string",
    ],
    [
      "an override of no rules",
      ["override", "rules"],
      [],
      "override.rules: got [], expected at least 1 item(s)",
    ],
    [
      "an override of an empty rule name",
      ["override", "rules"],
      [""],
      'override.rules[0]: got "", expected a non-empty string',
    ],
    ["an unknown override field", ["override", "x"], 1, "override.x: unknown field 'x'"],
  ])("rejects %s, naming the field", (_name, path, value, expected) => {
    const errors = errorsAfter(path, value);
    expect(
      errors.some((e) => e.startsWith(expected)),
      errors.join("\n"),
    ).toBe(true);
  });
});

describe("parseContext on text that is not a context's JSON", () => {
  /** The one formatted error for `text`. */
  function errorOf(text: string): string[] {
    const r = parseContext(text, "pr.json");
    if (r.ok) throw new Error("expected errors");
    return r.errors.map(formatSourceError);
  }

  it.each<[string, string, string]>([
    [
      "a trailing comma",
      '{\n  "author": "a",\n  "headSha": "abcdef1",\n  "labels": ["x",]\n}\n',
      "pr.json:4:18: not valid JSON: unexpected ']' (a change context is JSON)",
    ],
    [
      "YAML",
      "author: a\nheadSha: abcdef1\n",
      "pr.json:1:1: not valid JSON: unexpected 'a' (a change context is JSON)",
    ],
    [
      "text after the JSON",
      '{"author": "a"}\n  x\n',
      "pr.json:2:3: not valid JSON: unexpected 'x' (a change context is JSON)",
    ],
    [
      "a control character",
      '{\n"author": \u0001}',
      "pr.json:2:11: not valid JSON: unexpected character (a change context is JSON)",
    ],
    [
      "a space where a value should be",
      '{"author": "a",  }',
      "pr.json:1:18: not valid JSON: unexpected '}' (a change context is JSON)",
    ],
    [
      "a file cut off after a field",
      '{\n  "author": "a",\n',
      "pr.json:2:17: not valid JSON: the JSON ends early (truncated?) (a change context is JSON)",
    ],
    [
      "a file cut off in a string",
      '{\n  "author": "a',
      "pr.json:2:15: not valid JSON: the JSON ends early (truncated?) (a change context is JSON)",
    ],
    [
      "a file cut off after a number",
      '{\n  "number": 1',
      "pr.json:2:14: not valid JSON: the JSON ends early (truncated?) (a change context is JSON)",
    ],
    [
      "an empty file",
      "",
      "pr.json:1:1: not valid JSON: the JSON ends early (truncated?) (a change context is JSON)",
    ],
    [
      "a file of blank lines",
      "\n\n",
      "pr.json:1:1: not valid JSON: the JSON ends early (truncated?) (a change context is JSON)",
    ],
  ])("reports %s as one located JSON error", (_name, text, expected) => {
    expect(errorOf(text)).toEqual([expected]);
  });

  it("reports UTF-16 text as such, at 1:1", () => {
    const utf16 = Array.from('{"author": "a"}', (ch) => `${ch}\u0000`).join("");
    expect(errorOf(utf16)).toEqual([`pr.json:1:1: ${UTF16_MESSAGE}`]);
  });

  it("reads a context after a UTF-8 byte order mark", () => {
    const r = parseContext(`\ufeff${JSON.stringify(minimal())}`, "pr.json");
    expect(r.ok && r.value.author).toBe("a");
  });

  it("rejects a duplicate field, which JSON.parse would let through", () => {
    const errors = errorOf('{\n  "author": "a",\n  "author": "b"\n}');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^pr\.json:3:3: .*unique/i);
  });

  it("rejects JSON that is not an object", () => {
    expect(errorOf("[]")).toEqual(["pr.json:1:1: got [], expected object"]);
  });
});
