import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";

export type Logger = pino.Logger;

/**
 * The delivery being handled (a webhook request, or the job it became): every log line written meanwhile,
 * by any logger of the service (Octokit's warnings too), carries its id as `delivery`.
 */
const deliveryContext = new AsyncLocalStorage<string>();

/** Runs `fn` with `deliveryId` on every log line it writes, through callbacks and promises too. */
export function withDelivery<T>(deliveryId: string | undefined, fn: () => T): T {
  return deliveryId === undefined ? deliveryContext.exit(fn) : deliveryContext.run(deliveryId, fn);
}

/** JSON logs (pino). Secret-bearing fields are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "sluice-change-control" },
      mixin: () => {
        const delivery = deliveryContext.getStore();
        return delivery === undefined ? {} : { delivery };
      },
      redact: {
        paths: [
          "*.token",
          "*.privateKey",
          "*.secret",
          "*.authorization",
          "headers.authorization",
          "*.password",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
