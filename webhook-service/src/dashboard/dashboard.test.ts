import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium, SCREENSHOTS } from "../../test/browser.ts";
import { eachDatabase } from "../../test/databases.ts";
import { type OidcIssuer, startOidcIssuer } from "../../test/oidc-issuer.ts";
import { repositoryPolicy } from "../../test/seed.ts";
import { seedStory, TUESDAY } from "../../test/story.ts";
import { loadGateConfig } from "../gate/config.ts";
import { CONTENT_SECURITY_POLICY, dashboardRoutes } from "./routes.tsx";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const policy = repositoryPolicy();
let issuer: OidcIssuer;
let browser: Browser;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await issuer?.close();
});

/** Serves the dashboard on loopback with OIDC login against the local issuer. */
async function serveDashboard(db: Parameters<typeof dashboardRoutes>[0]["db"]) {
  let url = "";
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const app = new Hono();
    const s = serve({ fetch: (req) => app.fetch(req), port: 0, hostname: "127.0.0.1" }, (info) => {
      url = `http://127.0.0.1:${info.port}`;
      const config = loadGateConfig({
        DASHBOARD_OIDC_ISSUER: issuer.url,
        DASHBOARD_OIDC_CLIENT_ID: "sluice-dashboard",
        DASHBOARD_URL: url,
        DASHBOARD_SESSION_SECRET: "s".repeat(40),
      });
      app.route(
        "/",
        dashboardRoutes({
          db,
          config: config.dashboard,
          loadPolicy: async () => policy,
          now: () => new Date(TUESDAY.getTime() + 3 * 3600_000),
        }),
      );
      resolve(s);
    });
  });
  return { url, close: () => new Promise((r) => server.close(r)) };
}

async function axeViolations(page: Page): Promise<{ id: string; impact: string; help: string }[]> {
  await page.addScriptTag({ content: AXE });
  // A string, evaluated in the page: axe and document exist there, not in this (Node) program.
  return page.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help })))`,
  );
}

eachDatabase("dashboard in headless Chromium", (t) => {
  let site: Awaited<ReturnType<typeof serveDashboard>>;
  beforeAll(async () => {
    await seedStory(t().db, issuer);
    site = await serveDashboard(t().db);
  });
  afterAll(() => site?.close());

  it("logs in through OIDC with PKCE, filters, opens a pull request and shows its whole story", async () => {
    issuer.user = {
      sub: "u-1",
      preferred_username: "auditor",
      "cognito:groups": ["sluice-dev", "other-org"],
    };
    // bypassCSP only so axe-core can be injected; the CSP header itself is asserted below.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const kind = t().kind;
    try {
      const first = await page.goto(`${site.url}/changes`);
      expect(page.url()).toBe(`${site.url}/login`);
      expect(first?.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      await page.getByRole("link", { name: /identity provider/ }).click();
      await page.waitForURL(`${site.url}/changes`);
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === "sluice_session");
      expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
      expect(issuer.tokenRequests.at(-1)?.get("code_verifier")).toMatch(/^[\w-]{43}$/);

      // The list: newest first, only repositories of the user's installation accounts.
      const rows = page.locator("table.changes tbody tr");
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.nth(0).locator("td").first().textContent()).toBe("other-org/tools");
      expect(await page.content()).not.toContain("hidden-org/secret");
      const story = rows.nth(1);
      expect(await story.locator('td[data-label="Decision"]').textContent()).toBe("approved");
      expect(await story.locator('td[data-label="Approvers"]').textContent()).toBe("bob, dave");
      expect(await story.locator('td[data-label="Applier"]').textContent()).toBe("erin");
      expect(await story.locator('td[data-label="Plan risk"]').textContent()).toMatch(/create/);
      await page.screenshot({ path: `${SCREENSHOTS}changes-${kind}.png`, fullPage: true });
      expect(
        (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical"),
      ).toEqual([]);

      // Filters: by person (the applier) and by state.
      await page.getByLabel("Person").fill("erin");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/person=erin/);
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().locator("td").first().textContent()).toBe("sluice-dev/sluice");
      await page.getByLabel("Person").fill("");
      await page.getByLabel("State").selectOption("pending");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/state=pending/);
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().locator("td").first().textContent()).toBe("other-org/tools");

      // One pull request: its timeline, decision and plan.
      await page.goto(`${site.url}/changes?person=alice`);
      await page.getByRole("link", { name: "#42" }).click();
      await page.waitForURL(`${site.url}/changes/sluice-dev/sluice/42`);
      const timeline = await page.locator("ol.timeline li").allTextContents();
      const steps = timeline.map((line) => line.split(" ")[0]);
      expect(steps).toEqual(["opened", "planned", "reviewed", "reviewed", "gated", "gated", "applied"]);
      expect(timeline[4]).toContain("alice was refused applying stack prod-platform: @alice is the author");
      expect(timeline[5]).toContain("erin was allowed to apply stack prod-platform");
      expect(timeline[6]).toContain("erin applied stack prod-platform");
      expect(await page.locator(".verified").textContent()).toMatch(/^verified \(\d+ events\)$/);
      expect(await page.locator("#decision").textContent()).toContain("approved");
      expect(await page.getByRole("cell", { name: "prod-platform" }).count()).toBe(1);
      await page.screenshot({ path: `${SCREENSHOTS}pull-request-${kind}.png`, fullPage: true });
      expect(
        (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical"),
      ).toEqual([]);

      // A repository outside the user's accounts is not found, even by URL.
      const hidden = await page.goto(`${site.url}/changes/hidden-org/secret/1`);
      expect(hidden?.status()).toBe(404);

      await page.goto(`${site.url}/rules`);
      expect(await page.locator("h2").allTextContents()).toEqual(["other-org/tools", "sluice-dev/sluice"]);
      expect(await page.content()).toContain("prod-business-hours");
      await page.screenshot({ path: `${SCREENSHOTS}rules-${kind}.png`, fullPage: true });
      expect(
        (await axeViolations(page)).filter((v) => v.impact === "serious" || v.impact === "critical"),
      ).toEqual([]);

      // Readable on a phone: rows become cards, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${site.url}/changes`);
      const width = await page.evaluate<number>("document.documentElement.scrollWidth");
      expect(width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: `${SCREENSHOTS}changes-phone-${kind}.png`, fullPage: true });

      // Log out: the form carries the CSRF token; the session is gone afterwards.
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL(`${site.url}/login`);
      await page.goto(`${site.url}/changes`);
      expect(page.url()).toBe(`${site.url}/login`);
    } finally {
      await context.close();
    }
  });

  it("logs in with the one-time token in local mode, once, with the login form's CSRF token", async () => {
    const tokens: string[] = [];
    const app = dashboardRoutes({
      db: t().db,
      config: loadGateConfig({}).dashboard,
      loadPolicy: async () => policy,
      onLocalToken: (token) => tokens.push(token),
    });
    expect(tokens).toHaveLength(1);
    const form = await app.request("/login");
    const csrfCookie = (form.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
    const login = (body: Record<string, string>, cookie = csrfCookie) =>
      app.request("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams(body).toString(),
      });
    expect((await login({ token: tokens[0] ?? "" })).status).toBe(403); // no CSRF token
    expect((await login({ _csrf: csrf, token: "wrong" })).headers.get("location")).toBe("/login?error=1");
    const ok = await login({ _csrf: csrf, token: tokens[0] ?? "" });
    expect(ok.headers.get("location")).toBe("/changes");
    const session =
      (ok.headers.get("set-cookie") ?? "").split(", ").find((c) => c.startsWith("sluice_session=")) ?? "";
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const list = await app.request("/changes", { headers: { cookie: session.split(";")[0] ?? "" } });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("hidden-org/secret"); // the local operator sees every repository
    const logout = await app.request("/logout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: session.split(";")[0] ?? "" },
      body: "_csrf=forged",
    });
    expect(logout.status).toBe(403);
    // The token was used: it no longer logs in, and a fresh one was handed out.
    expect((await login({ _csrf: csrf, token: tokens[0] ?? "" })).headers.get("location")).toBe(
      "/login?error=1",
    );
    expect(tokens).toHaveLength(2);
  });

  it("refuses a state-changing form without its CSRF token, and a forged session cookie", async () => {
    const noCsrf = await fetch(`${site.url}/logout`, { method: "POST", redirect: "manual" });
    expect(noCsrf.status).toBe(303); // no session: to the login page, nothing changed
    const forged = await fetch(`${site.url}/changes`, {
      redirect: "manual",
      headers: { cookie: "sluice_session=eyJ1c2VyIjoiZXZlIn0.bm90LWEtbWFj" },
    });
    expect(forged.status).toBe(303);
    expect(forged.headers.get("location")).toBe("/login");
  });
});
