import { serve } from "@hono/node-server";
import { Hono } from "hono";

/** The baseline of the service benchmark: a bare Hono app on @hono/node-server answering 200 OK. */
const app = new Hono();
app.post("/webhooks/github", (c) => c.text("OK"));
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(JSON.stringify({ msg: "listening", port: info.port }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
