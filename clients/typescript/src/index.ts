// A thin, typed client for the Courses API. The types in schema.d.ts are generated from the service's OpenAPI
// document (scripts/client); every path, body and answer below is checked against them by the compiler.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];

/** An RFC 9457 problem, as every error of the service is answered. */
export type Problem = Schemas["ProblemDetails"];
/** The stable code a 422 carries: which clinical or write-safety rule refused the request. */
export type ProblemCode = NonNullable<Problem["code"]>;

export interface CoursesClientOptions {
  /** Where the service runs, e.g. http://127.0.0.1:5080 (no trailing /api). */
  baseUrl: string;
  /** A bearer token, or a function returning the current one (called before every request). */
  token: string | (() => string | Promise<string>);
  /** A fetch of your own (tests, polyfills); the global fetch otherwise. */
  fetch?: typeof fetch;
}

export type CoursesClient = Client<paths>;

/** Creates a client that sends the token on every request. Answers are `{ data, error, response }`, never thrown. */
export function createCoursesClient(options: CoursesClientOptions): CoursesClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const bearer: Middleware = {
    async onRequest({ request }) {
      const token = typeof options.token === "function" ? await options.token() : options.token;
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}

/** The version a write answered (its ETag), to send back as If-Match on the next write to the same record. */
export function versionOf(response: Response): string | undefined {
  return response.headers.get("ETag") ?? undefined;
}

/** A fresh Idempotency-Key: send the same one again when retrying a write whose answer was lost. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
