import { areas } from "./areas.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { ListenError, type RunningService, startService } from "./server.ts";

/** `npm start`: validate the environment, serve, and shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let running: RunningService;
  try {
    running = await startService(loadConfig(), { areas });
  } catch (error) {
    // Bad settings, or an address or data directory that cannot be had: a clear line and exit 2, never a stack.
    if (error instanceof ConfigError || error instanceof ListenError || error instanceof DataDirInUseError) {
      console.error(`sluice change-control: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.service.log.info({ signal }, "shutting down");
    running.stop(Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000)).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

await main();
