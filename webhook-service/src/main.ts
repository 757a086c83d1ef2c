import { areas } from "./areas.ts";
import { loadConfig } from "./config.ts";
import { type RunningService, startService } from "./server.ts";
import { StartupError } from "./startup-error.ts";

/** `npm start`: validate the environment, serve, and shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let running: RunningService;
  try {
    running = await startService(loadConfig(), { areas });
  } catch (error) {
    if (error instanceof StartupError) {
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
