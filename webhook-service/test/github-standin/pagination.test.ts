import { describe, expect, it } from "vitest";
import { paginate } from "./http.ts";

const BASE = "http://127.0.0.1:1";
const items = Array.from({ length: 250 }, (_, i) => i);

function links(header: string | undefined): Record<string, { page: string | null; perPage: string | null }> {
  if (header === undefined) return {};
  return Object.fromEntries(
    header.split(", ").map((part) => {
      const [, url = "", rel = ""] = /^<([^>]+)>; rel="(\w+)"$/.exec(part) ?? [];
      const q = new URL(url).searchParams;
      return [rel, { page: q.get("page"), perPage: q.get("per_page") }];
    }),
  );
}

describe("paginate: GitHub's page-number pagination", () => {
  it("serves 30 a page by default, with next and last on the first page", () => {
    const page = paginate(BASE, "/x", new URLSearchParams(), items);
    expect(page.items).toEqual(items.slice(0, 30));
    expect(links(page.headers.link)).toEqual({
      next: { page: "2", perPage: null },
      last: { page: "9", perPage: null },
    });
  });

  it("caps per_page at 100 and names it in the links when asked for", () => {
    const page = paginate(BASE, "/x", new URLSearchParams({ per_page: "500", page: "2" }), items);
    expect(page.items).toEqual(items.slice(100, 200));
    expect(links(page.headers.link)).toEqual({
      prev: { page: "1", perPage: "100" },
      next: { page: "3", perPage: "100" },
      last: { page: "3", perPage: "100" },
      first: { page: "1", perPage: "100" },
    });
  });

  it("has prev and first but no next on the last page, and keeps other query parameters", () => {
    const page = paginate(
      BASE,
      "/x",
      new URLSearchParams({ per_page: "100", page: "3", state: "all" }),
      items,
    );
    expect(page.items).toEqual(items.slice(200));
    expect(Object.keys(links(page.headers.link))).toEqual(["prev", "first"]);
    expect(page.headers.link).toContain("state=all");
    expect(page.headers.link).toMatch(/^<http:\/\/127\.0\.0\.1:1\/x\?/);
  });

  it("sends no Link header when everything fits on one page, and nothing past the end", () => {
    expect(
      paginate(BASE, "/x", new URLSearchParams({ per_page: "100" }), items.slice(0, 100)).headers,
    ).toEqual({});
    expect(paginate(BASE, "/x", new URLSearchParams(), []).headers).toEqual({});
    expect(paginate(BASE, "/x", new URLSearchParams({ page: "99" }), items).items).toEqual([]);
  });

  it("falls back to the defaults for per_page and page that are not positive numbers", () => {
    const page = paginate(BASE, "/x", new URLSearchParams({ per_page: "abc", page: "-2" }), items);
    expect(page.items).toEqual(items.slice(0, 30));
  });

  it("never lists more than the cap, and the last page reflects it", () => {
    const many = Array.from({ length: 3105 }, (_, i) => i);
    const last = paginate(BASE, "/x", new URLSearchParams({ per_page: "100", page: "30" }), many, 3000);
    expect(last.items).toEqual(many.slice(2900, 3000));
    expect(links(last.headers.link).next).toBeUndefined();
    const beyond = paginate(BASE, "/x", new URLSearchParams({ per_page: "100", page: "31" }), many, 3000);
    expect(beyond.items).toEqual([]);
  });
});
