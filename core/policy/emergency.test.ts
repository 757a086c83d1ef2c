import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy.ts";
import { approve, fakeContext, ONE_APPROVAL, policy, TUESDAY_10, withRules } from "./test/fake-context.ts";

// Change windows, freezes and the emergency override as the decision reports them.
// Policies and contexts are built inside each test (see docs/testing.md, "Static mutants").

const WINDOW = `change_windows:
  - { name: prod-hours, environments: [prod], time_zone: Europe/Amsterdam, days: [mon, tue, wed, thu], from: "09:00", to: "16:00" }
`;
const FREEZE = `freezes:
  - { name: year-end, environments: [prod], time_zone: Europe/Amsterdam, from: "2026-12-18", to: "2027-01-04", reason: thin on-call }
`;
const EMERGENCY = `emergency:
  label: emergency
  min_reason_length: 10
  requires: { approvals: { count: 1, from: { teams: [sre-leads] } } }
`;
const scheduled = () => withRules(ONE_APPROVAL, `${WINDOW}${FREEZE}${EMERGENCY}`);

const PROD = { files: [{ path: "gitops/envs/prod/app.yaml", additions: 3, deletions: 1 }] };
/** Friday 17:20 in Amsterdam: outside the window. */
const FRIDAY = new Date("2026-06-05T15:20:00Z");
const CLOSED_MESSAGE =
  "Changes to prod may merge only in 'prod-hours' (Mon, Tue, Wed, Thu 09:00–16:00 Europe/Amsterdam); it is Fri 2026-06-05 17:20 Europe/Amsterdam now";
/** Tuesday 10:00 in Amsterdam, inside the window, during the year-end freeze. */
const FROZEN_TUESDAY = new Date("2026-12-22T09:00:00Z");

function decide(p: Policy, overrides: Partial<ChangeContext>, now: Date) {
  return evaluate(p, fakeContext({ ...PROD, reviews: [approve("bob")], ...overrides }), now);
}

/** Labelled emergency with the sre-leads approval and a reason from @dave. */
const emergency = (reason = "Broken TLS cert in prod"): Partial<ChangeContext> => ({
  labels: ["emergency"],
  reviews: [approve("bob"), approve("erin")],
  override: { by: "dave", reason },
});

describe("the schedule in the decision", () => {
  it("a freeze blocks an otherwise approved change, and says how to get past it", () => {
    const d = decide(scheduled(), {}, FROZEN_TUESDAY);
    expect(d.schedule.state).toBe("frozen");
    expect(d.state).toBe("blocked");
    expect(d.unblock).toEqual([
      "freeze 'year-end' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers prod: thin on-call: wait, or label 'emergency' with a written reason and the emergency approvals",
    ]);
  });

  it("without an emergency in the policy, a closed window only says to wait", () => {
    const d = decide(withRules(ONE_APPROVAL, WINDOW), {}, FRIDAY);
    expect(d.state).toBe("blocked");
    expect(d.unblock).toEqual([`${CLOSED_MESSAGE}: wait`]);
  });

  it("lists closed windows by environment name, including environments only a plan could show", () => {
    // No plan: dev (known by stacks only) may be touched; prod is touched by a file.
    const p = policy(`version: 1
environments:
  prod: { paths: ["gitops/envs/prod/**"] }
  dev: { stacks: ["dev-*"] }
change_windows:
  - { name: prod-hours, environments: [prod], time_zone: UTC, days: [mon], from: "09:00", to: "10:00" }
  - { name: dev-hours, environments: [dev], time_zone: UTC, days: [mon], from: "09:00", to: "10:00" }
rules:
${ONE_APPROVAL}`);
    const d = decide(p, { plan: undefined }, FRIDAY);
    expect(d.schedule.messages).toEqual([
      "Changes to dev may merge only in 'dev-hours' (Mon 09:00–10:00 UTC); it is Fri 2026-06-05 15:20 UTC now",
      "Changes to prod may merge only in 'prod-hours' (Mon 09:00–10:00 UTC); it is Fri 2026-06-05 15:20 UTC now",
    ]);
  });
});

describe("the emergency override in the decision", () => {
  it("a reason of exactly the minimum length is enough", () => {
    const d = decide(scheduled(), emergency("TLS broken"), FRIDAY);
    expect(d.emergency).toMatchObject({ accepted: true, reason: "TLS broken" });
    expect(d.state).toBe("approved");
  });

  it("an accepted emergency while the schedule is closed waives it, and both say so", () => {
    const d = decide(scheduled(), emergency(), FRIDAY);
    expect(d.emergency?.messages).toEqual(["accepted: change windows and freezes are waived"]);
    expect(d.schedule).toEqual({
      state: "overridden",
      messages: [CLOSED_MESSAGE, "waived by the emergency override of @dave"],
    });
  });

  it("an accepted emergency while the schedule is open says it was not needed", () => {
    const d = decide(scheduled(), emergency(), TUESDAY_10);
    expect(d.emergency?.messages).toEqual(["accepted, but not needed: the schedule is open"]);
    expect(d.schedule.state).toBe("open");
    expect(d.state).toBe("approved");
  });

  it("an emergency still waiting for its approvals says only what it waits for", () => {
    const d = decide(scheduled(), { ...emergency(), reviews: [approve("bob")] }, FRIDAY);
    expect(d.emergency).toMatchObject({ accepted: false });
    expect(d.emergency?.messages).toEqual(["emergency needs 1 more approval from @sluice-dev/sre-leads"]);
    expect(d.state).toBe("pending");
    expect(d.unblock).toEqual(["emergency needs 1 more approval from @sluice-dev/sre-leads"]);
  });
});
