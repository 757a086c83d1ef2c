import { STATUS_CODES } from "node:http";
import { Agent, type Dispatcher, interceptors, request } from "undici";

/** What @octokit/request reads of a fetch response (status, url, headers by iteration and get, the body). */
export interface GitHubResponse {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Dispatcher.ResponseData["body"];
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

type FetchInit = {
  method?: string;
  body?: string | Uint8Array | null;
  headers?: Record<string, string>;
  signal?: AbortSignal | null;
  redirect?: "follow" | "manual" | "error";
};

/**
 * The `fetch` Octokit is given: undici's `request` on a keep-alive pool, answering with only what
 * @octokit/request reads. Node's global fetch (WHATWG streams and Headers on every call) cost about 5× the CPU
 * per GitHub call here (docs/benchmarks.md), and an evaluation makes about 15 of them. Redirects are followed as
 * fetch follows them (GitHub answers 301/302/307 for renamed repositories and some downloads).
 */
export function githubFetch(options: { connections?: number } = {}) {
  const dispatcher = new Agent({ connections: options.connections ?? 64 }).compose(
    interceptors.redirect({ maxRedirections: 5 }),
  );
  const fetch = async (url: string, init: FetchInit = {}): Promise<GitHubResponse> => {
    const response = await request(url, {
      dispatcher,
      method: (init.method ?? "GET") as Dispatcher.HttpMethod,
      headers: init.headers ?? {},
      body: init.body ?? null,
      signal: init.signal ?? undefined,
    });
    // A response Octokit will not read (no content, HEAD) must still be consumed to free its connection.
    if (response.statusCode === 204 || response.statusCode === 205 || init.method === "HEAD") {
      await response.body.dump();
    }
    const headers = new Map<string, string>();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    return {
      status: response.statusCode,
      statusText: STATUS_CODES[response.statusCode] ?? "",
      url,
      headers,
      body: response.body,
      text: () => response.body.text(),
      arrayBuffer: () => response.body.arrayBuffer(),
    };
  };
  return { fetch, close: () => dispatcher.close() };
}
