import { error, isRecord, json, notFound, paginate } from "./http.ts";
import { intParam, type Route } from "./route.ts";
import type { InstallationToken } from "./schemas.ts";

/** The /app endpoints (App JWT) and the installation lookups. */
export const appRoutes: readonly Route[] = [
  {
    method: "GET",
    pattern: "/app",
    auth: "jwt",
    handler: (ctx) => json(200, ctx.objects.integration()),
  },
  {
    method: "GET",
    pattern: "/app/installations",
    auth: "jwt",
    handler: (ctx) => {
      const all = [...ctx.state.installations.values()].map((i) => ctx.objects.installation(i));
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, all);
      return json(200, page.items, page.headers);
    },
  },
  {
    method: "GET",
    pattern: "/app/installations/:installation_id",
    auth: "jwt",
    handler: (ctx) => {
      const id = intParam(ctx, "installation_id");
      const inst = id === undefined ? undefined : ctx.state.installations.get(id);
      return inst ? json(200, ctx.objects.installation(inst)) : notFound();
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/installation",
    auth: "jwt",
    handler: (ctx) => {
      const repo = ctx.state.repository(`${ctx.params.owner}/${ctx.params.repo}`);
      const inst = repo && ctx.state.installations.get(repo.installationId);
      return inst ? json(200, ctx.objects.installation(inst)) : notFound();
    },
  },
  {
    method: "GET",
    pattern: "/orgs/:org/installation",
    auth: "jwt",
    handler: (ctx) => {
      const org = ctx.params.org?.toLowerCase();
      const inst = [...ctx.state.installations.values()].find((i) => i.account.toLowerCase() === org);
      return inst ? json(200, ctx.objects.installation(inst)) : notFound();
    },
  },
  {
    method: "POST",
    pattern: "/app/installations/:installation_id/access_tokens",
    auth: "jwt",
    handler: (ctx) => {
      const id = intParam(ctx, "installation_id");
      const inst = id === undefined ? undefined : ctx.state.installations.get(id);
      if (!inst) return notFound();
      if (inst.suspended) return error(403, "This installation has been suspended");
      const body = isRecord(ctx.body) ? ctx.body : {};
      const installed = [...ctx.state.repositories.values()].filter((r) => r.installationId === inst.id);
      let scoped: typeof installed | undefined;
      const names = body.repositories;
      const ids = body.repository_ids;
      if (names !== undefined || ids !== undefined) {
        const wantedNames = Array.isArray(names) ? names.map((n) => String(n).toLowerCase()) : [];
        const wantedIds = Array.isArray(ids) ? ids.map(Number) : [];
        scoped = installed.filter(
          (r) => wantedNames.includes(r.name.toLowerCase()) || wantedIds.includes(r.id),
        );
        if (scoped.length !== wantedNames.length + wantedIds.length) {
          return error(
            422,
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
          );
        }
      }
      const { token, expiresAt } = ctx.issueToken(inst, scoped && new Set(scoped.map((r) => r.id)));
      const answer: InstallationToken = {
        token,
        expires_at: expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: inst.permissions,
        repository_selection: scoped ? "selected" : inst.repositorySelection,
      };
      if (scoped) answer.repositories = scoped.map((r) => ctx.objects.repository(r));
      return json(201, answer);
    },
  },
  {
    method: "GET",
    pattern: "/installation/repositories",
    auth: "installation",
    handler: (ctx) => {
      const inst = ctx.installation;
      const repos = [...ctx.state.repositories.values()].filter((r) => ctx.canAccess(r));
      const page = paginate(ctx.baseUrl, ctx.path, ctx.query, repos);
      return json(
        200,
        {
          total_count: repos.length,
          repository_selection: inst?.repositorySelection,
          repositories: page.items.map((r) => ctx.objects.repository(r)),
        },
        page.headers,
      );
    },
  },
];
