import { describe, expect, it } from "vitest";
import type { ChangeWindow, Freeze, Policy } from "./policy.ts";
import { ONE_APPROVAL, withRules } from "./test/fake-context.ts";
import { activeFreezes, checkSchedule, describeWindow, isOpen, localTime } from "./windows.ts";

const AMS = "Europe/Amsterdam";
const window = (over: Partial<ChangeWindow> = {}): ChangeWindow => ({
  name: "business-hours",
  environments: ["prod"],
  timeZone: AMS,
  days: ["mon", "tue", "wed", "thu"],
  from: "09:00",
  to: "16:00",
  ...over,
});
const freeze = (over: Partial<Freeze> = {}): Freeze => ({
  name: "year-end",
  environments: ["prod"],
  timeZone: AMS,
  from: "2026-12-18",
  to: "2027-01-04",
  reason: "on-call is thin",
  ...over,
});
const withSchedule = (changeWindows: ChangeWindow[], freezes: Freeze[] = []): Policy => ({
  ...withRules(ONE_APPROVAL),
  changeWindows,
  freezes,
});
/** Tuesday 2 June 2026, 10:00 in Amsterdam (UTC+2). */
const TUESDAY_10 = new Date("2026-06-02T08:00:00Z");

describe("localTime", () => {
  it("gives the wall-clock date, weekday and 24-hour time in each time zone", () => {
    expect(localTime(TUESDAY_10, AMS)).toEqual({ date: "2026-06-02", weekday: "tue", time: "10:00" });
    expect(localTime(TUESDAY_10, "America/New_York")).toEqual({
      date: "2026-06-02",
      weekday: "tue",
      time: "04:00",
    });
    expect(localTime(new Date("2026-06-01T22:05:00Z"), AMS)).toEqual({
      date: "2026-06-02",
      weekday: "tue",
      time: "00:05",
    });
    expect(localTime(new Date("2026-06-07T21:59:00Z"), AMS)).toMatchObject({ weekday: "sun", time: "23:59" });
  });
});

describe("isOpen", () => {
  it("opens at `from`, closes at `to`, on the listed days only", () => {
    expect(isOpen(window(), new Date("2026-06-02T06:59:00Z"))).toBe(false);
    expect(isOpen(window(), new Date("2026-06-02T07:00:00Z"))).toBe(true);
    expect(isOpen(window(), new Date("2026-06-02T13:59:00Z"))).toBe(true);
    expect(isOpen(window(), new Date("2026-06-02T14:00:00Z"))).toBe(false);
    expect(isOpen(window(), new Date("2026-06-05T08:00:00Z"))).toBe(false);
    expect(isOpen(window({ to: "24:00", days: ["sun"] }), new Date("2026-06-07T21:59:00Z"))).toBe(true);
  });

  it("describes a window as people read it", () => {
    expect(describeWindow(window({ days: ["mon", "wed", "sat", "sun"] }))).toBe(
      "Mon, Wed, Sat, Sun 09:00–16:00 Europe/Amsterdam",
    );
    expect(describeWindow(window({ days: ["tue", "thu", "fri"] }))).toBe(
      "Tue, Thu, Fri 09:00–16:00 Europe/Amsterdam",
    );
  });
});

describe("activeFreezes", () => {
  it("covers its first and last day, inclusive, in its own time zone", () => {
    const f = [freeze()];
    expect(activeFreezes(f, ["prod"], new Date("2026-12-17T22:59:00Z"))).toEqual([]);
    expect(activeFreezes(f, ["prod"], new Date("2026-12-17T23:00:00Z"))).toEqual(f);
    expect(activeFreezes(f, ["prod"], new Date("2027-01-04T22:59:00Z"))).toEqual(f);
    expect(activeFreezes(f, ["prod"], new Date("2027-01-04T23:00:00Z"))).toEqual([]);
  });

  it("covers the environments it names, or every change when it names none", () => {
    const at = new Date("2026-12-20T12:00:00Z");
    expect(activeFreezes([freeze()], ["dev"], at)).toEqual([]);
    expect(activeFreezes([freeze()], [], at)).toEqual([]);
    expect(activeFreezes([freeze()], ["dev", "prod"], at)).toHaveLength(1);
    expect(activeFreezes([freeze({ environments: [] })], [], at)).toHaveLength(1);
  });

  it("covers a change touching any one of the environments it names, not only all of them", () => {
    const at = new Date("2026-12-20T12:00:00Z");
    const both = checkSchedule(
      withSchedule([], [freeze({ environments: ["prod", "staging"] })]),
      ["prod"],
      at,
    );
    expect(both).toEqual({
      state: "frozen",
      messages: [
        "freeze 'year-end' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers prod, staging: on-call is thin",
      ],
    });
  });
});

describe("checkSchedule", () => {
  it("is frozen during a freeze, and says which and why", () => {
    const s = checkSchedule(
      withSchedule([], [freeze(), freeze({ name: "all", environments: [], reason: "audit" })]),
      ["prod"],
      new Date("2026-12-20T12:00:00Z"),
    );
    expect(s).toEqual({
      state: "frozen",
      messages: [
        "freeze 'year-end' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers prod: on-call is thin",
        "freeze 'all' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers every change: audit",
      ],
    });
  });

  it("is closed outside the windows of a touched environment, once per environment", () => {
    const friday = new Date("2026-06-05T15:20:00Z");
    const policy = withSchedule([window(), window({ name: "late", from: "18:00", to: "20:00" })]);
    expect(checkSchedule(policy, ["prod", "prod"], friday)).toEqual({
      state: "closed",
      messages: [
        "Changes to prod may merge only in 'business-hours' (Mon, Tue, Wed, Thu 09:00–16:00 Europe/Amsterdam) or 'late' (Mon, Tue, Wed, Thu 18:00–20:00 Europe/Amsterdam); it is Fri 2026-06-05 17:20 Europe/Amsterdam now",
      ],
    });
  });

  it("is open when any one of a touched environment's windows is, whichever comes first", () => {
    const friday = new Date("2026-06-05T16:30:00Z");
    const evening = window({ name: "late", days: ["fri"], from: "18:00", to: "20:00" });
    for (const windows of [
      [window(), evening],
      [evening, window()],
    ]) {
      expect(checkSchedule(withSchedule(windows), ["prod"], friday)).toEqual({
        state: "open",
        messages: ["inside the change window"],
      });
    }
  });

  it("applies windows without environments to every change", () => {
    const policy = withSchedule([window({ environments: [], timeZone: "UTC" })]);
    expect(checkSchedule(policy, [], new Date("2026-06-06T10:00:00Z"))).toEqual({
      state: "closed",
      messages: [
        "Changes may merge only in 'business-hours' (Mon, Tue, Wed, Thu 09:00–16:00 UTC); it is Sat 2026-06-06 10:00 UTC now",
      ],
    });
    expect(checkSchedule(policy, ["dev"], new Date("2026-06-02T10:00:00Z")).state).toBe("open");
  });

  it("is open inside a window of every governed environment, and unrestricted when nothing governs the change", () => {
    const policy = withSchedule([window(), window({ name: "dev", environments: ["dev"], days: ["fri"] })]);
    expect(checkSchedule(policy, ["prod"], TUESDAY_10)).toEqual({
      state: "open",
      messages: ["inside the change window"],
    });
    expect(checkSchedule(policy, ["prod", "dev"], TUESDAY_10).state).toBe("closed");
    expect(checkSchedule(policy, ["staging"], TUESDAY_10)).toEqual({
      state: "unrestricted",
      messages: ["no change window or freeze governs this change"],
    });
  });
});
