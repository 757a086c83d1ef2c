import pino from "pino";

export type Logger = pino.Logger;

/** JSON logs (pino). Secret-bearing fields are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "sluice-change-control" },
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
