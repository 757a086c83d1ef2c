import { Writable } from "node:stream";

/** A pino destination that keeps every JSON line written to it, parsed, in `entries`. */
export function logLines(): Writable & { readonly entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) entries.push(JSON.parse(line));
      done();
    },
  });
  return Object.assign(stream, { entries });
}
