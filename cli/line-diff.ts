/**
 * A unified diff (as `diff -u` / `git diff` print it) of two versions of a text file, with `context`
 * unchanged lines around each change. Empty when the texts are equal. For the small files a command
 * edits (an LCS table of lines × lines), not for large inputs.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]?.kind === " ") {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change that is
    // at most 2 × context unchanged lines from the previous one.
    let start = Math.max(0, i - context);
    while (start < i && ops[start]?.kind !== " ") start++;
    let end = i;
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.kind !== " ") end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const slice = ops.slice(start, stop);
    const first = ops[start];
    const oldStart = (first?.a ?? 0) + 1;
    const newStart = (first?.b ?? 0) + 1;
    const oldCount = slice.filter((o) => o.kind !== "+").length;
    const newCount = slice.filter((o) => o.kind !== "-").length;
    hunks.push(
      `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${slice.map((o) => `${o.kind}${o.line}\n`).join("")}`,
    );
    i = stop;
  }
  return `--- a/${path}\n+++ b/${path}\n${hunks.join("")}`;
}

interface Op {
  readonly kind: " " | "-" | "+";
  readonly line: string;
  /** Index of the line in the old text (for "+", where it would go). */
  readonly a: number;
  /** Index of the line in the new text (for "-", where it would go). */
  readonly b: number;
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function range(start: number, count: number): string {
  // diff -u writes a hunk that adds to an empty region as "N,0" with N the line before it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const below = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i] as string, a: i++, b: j++ });
    } else if (j < m && (i === n || (lcs[i]?.[j + 1] as number) >= (lcs[i + 1]?.[j] as number))) {
      ops.push({ kind: "+", line: b[j] as string, a: i, b: j++ });
    } else {
      ops.push({ kind: "-", line: a[i] as string, a: i++, b: j });
    }
  }
  // Removals before additions within a change, as diff prints them.
  for (let k = 0; k + 1 < ops.length; k++) {
    const x = ops[k] as Op;
    const y = ops[k + 1] as Op;
    if (x.kind === "+" && y.kind === "-") {
      ops[k] = y;
      ops[k + 1] = x;
      if (k > 0) k -= 2;
    }
  }
  return ops;
}
