import { Hono } from "hono";
import { migrationsDone } from "./db/migrate.ts";
import type { Service } from "./service.ts";
import { webhookRoutes } from "./webhooks/intake.ts";

/** An area's routes (GATE: plan upload, apply gate, dashboard), mounted on the one app. */
export type AreaRoutes = (app: Hono, service: Service) => void;

/** The Hono app: operations endpoints, the webhook intake (unless `intake: false`), then each area's routes. */
export function createApp(
  service: Service,
  areas: readonly AreaRoutes[] = [],
  options: { readonly intake?: boolean } = {},
): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      if (!(await migrationsDone(service.db))) return c.json({ status: "migrations pending" }, 503);
      return c.json({
        status: "ready",
        database: service.db.kind,
        github: service.github ? "app" : "local mode",
      });
    } catch {
      return c.json({ status: "database unreachable" }, 503);
    }
  });
  app.get("/metrics", async (c) => {
    const text = await service.metrics.registry.metrics();
    return c.body(text, 200, { "content-type": service.metrics.registry.contentType });
  });
  if (options.intake !== false) webhookRoutes(app, service);
  for (const mount of areas) mount(app, service);
  return app;
}
