import type { CliIo } from "../command.ts";

/** An in-memory CliIo that records what a command printed. */
export function memoryIo(
  options: { cwd?: string; stdin?: string; env?: Record<string, string>; tty?: boolean } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? "",
    ...(options.tty !== undefined ? { stdoutIsTTY: options.tty } : {}),
  };
  return {
    io,
    get stdout() {
      return out.join("");
    },
    get stderr() {
      return err.join("");
    },
  };
}
