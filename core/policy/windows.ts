import type { ChangeWindow, Freeze, Policy, Weekday } from "./policy.ts";

/** Wall-clock date, weekday and time of an instant in a time zone. */
export interface LocalTime {
  readonly date: string;
  readonly weekday: Weekday;
  readonly time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the time zone, kept for later calls (making one is slow). */
function formatter(timeZone: string): Intl.DateTimeFormat {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  // Stryker disable next-line CallExpression: only a cache; a formatter made anew for each call formats the same
  formatters.set(timeZone, f);
  return f;
}

export function localTime(now: Date, timeZone: string): LocalTime {
  const f = formatters.get(timeZone) ?? formatter(timeZone);
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(now)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: (parts.weekday ?? "").toLowerCase().slice(0, 3) as Weekday,
    time: `${parts.hour}:${parts.minute}`,
  };
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};

function governs(list: readonly string[], touched: readonly string[]): boolean {
  return list.length === 0 || list.some((e) => touched.includes(e));
}

export function describeWindow(w: ChangeWindow): string {
  return `${w.days.map((d) => DAY_NAMES[d]).join(", ")} ${w.from}–${w.to} ${w.timeZone}`;
}

export function isOpen(w: ChangeWindow, now: Date): boolean {
  const t = localTime(now, w.timeZone);
  return w.days.includes(t.weekday) && t.time >= w.from && t.time < w.to;
}

export function activeFreezes(freezes: readonly Freeze[], touched: readonly string[], now: Date): Freeze[] {
  return freezes.filter((f) => {
    if (!governs(f.environments, touched)) return false;
    const d = localTime(now, f.timeZone).date;
    return d >= f.from && d <= f.to;
  });
}

export interface Schedule {
  readonly state: "open" | "closed" | "frozen" | "unrestricted";
  readonly messages: readonly string[];
}

/**
 * Whether the change may merge now: no freeze covers a touched environment, and every touched environment
 * governed by change windows is inside one of them. Windows and freezes without environments govern every change.
 */
export function checkSchedule(policy: Policy, touched: readonly string[], now: Date): Schedule {
  const messages: string[] = [];
  const frozen = activeFreezes(policy.freezes, touched, now);
  for (const f of frozen) {
    const scope = f.environments.length > 0 ? f.environments.join(", ") : "every change";
    messages.push(`freeze '${f.name}' (${f.from} to ${f.to}, ${f.timeZone}) covers ${scope}: ${f.reason}`);
  }
  // Each touched environment, then "" for the windows that name no environment.
  const scopes = [...touched, ""];
  let governed = false;
  const closed = new Set<string>();
  for (const scope of scopes) {
    const windows = policy.changeWindows.filter((w) =>
      scope === "" ? w.environments.length === 0 : w.environments.includes(scope),
    );
    if (windows.length === 0) continue;
    governed = true;
    if (windows.some((w) => isOpen(w, now))) continue;
    const first = windows[0] as ChangeWindow;
    const local = localTime(now, first.timeZone);
    const who = scope === "" ? "Changes" : `Changes to ${scope}`;
    const text = `${who} may merge only in ${windows.map((w) => `'${w.name}' (${describeWindow(w)})`).join(" or ")}; it is ${DAY_NAMES[local.weekday]} ${local.date} ${local.time} ${first.timeZone} now`;
    if (!closed.has(text)) {
      closed.add(text);
      messages.push(text);
    }
  }
  if (frozen.length > 0) return { state: "frozen", messages };
  if (closed.size > 0) return { state: "closed", messages };
  if (!governed)
    return { state: "unrestricted", messages: ["no change window or freeze governs this change"] };
  return { state: "open", messages: ["inside the change window"] };
}
