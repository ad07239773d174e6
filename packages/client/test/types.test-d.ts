import { describe, expectTypeOf, it } from "vitest";
import {
  createTracesClient,
  type LocalDateTime,
  type Middleware,
  type PagePromise,
  parseLocalDateTime,
  type TraceUserDetailsResponse,
  type TraceUserListResponse,
  type TraceUserMetadataResponse,
  type UnprocessableEntityError,
  type ValidationErrorItem,
} from "../src/index.js";

const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });

describe("resource method types", () => {
  it("types results from the spec", () => {
    const pages = client.users.listUsersMetadata({ task_ids: ["t"] });
    expectTypeOf(pages).toEqualTypeOf<PagePromise<TraceUserListResponse, TraceUserMetadataResponse>>();
    expectTypeOf(pages).resolves.toEqualTypeOf<TraceUserListResponse>();
    expectTypeOf(pages).toExtend<AsyncIterable<TraceUserMetadataResponse>>();
    expectTypeOf<TraceUserMetadataResponse["total_token_cost"]>().toEqualTypeOf<number | undefined>();
    // Details never carry the token or cost fields, so their type does not offer them.
    expectTypeOf(
      client.users.getUserDetails("u", { task_ids: ["t"] }),
    ).resolves.toEqualTypeOf<TraceUserDetailsResponse>();
    expectTypeOf<TraceUserDetailsResponse>().not.toHaveProperty("total_token_cost");
    expectTypeOf<TraceUserDetailsResponse>().not.toHaveProperty("prompt_token_count");
    expectTypeOf<TraceUserDetailsResponse["latest_end_time"]>().toEqualTypeOf<LocalDateTime>();
    expectTypeOf<UnprocessableEntityError["detail"]>().toEqualTypeOf<ValidationErrorItem[]>();
    // Response times are strings (the engine's local time, no offset); parseLocalDateTime makes a Date.
    expectTypeOf<TraceUserMetadataResponse["earliest_start_time"]>().toEqualTypeOf<LocalDateTime>();
    expectTypeOf(parseLocalDateTime).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(parseLocalDateTime("2026-03-01T06:00:00", { timeZone: "UTC" })).toEqualTypeOf<Date>();
    // @ts-expect-error the time zone is a string (an IANA name).
    parseLocalDateTime("2026-03-01T06:00:00", { timeZone: 0 });
  });

  it("accepts Date or string for date-time parameters and the spec's enum for sort", () => {
    client.users.listUsersMetadata({ task_ids: ["t"], start_time: new Date(), end_time: "2026-03-01T09:30:00+01:00" });
    client.users.listUsersMetadata({ task_ids: ["t"], sort: "asc", page: 0, page_size: 10 });
    client.users.getUserDetails("u", { task_ids: ["t"] }, { signal: AbortSignal.abort(), timeout: 1, maxRetries: 0 });
  });

  it("rejects a wrong parameter name", () => {
    // @ts-expect-error `pageSize` is not a parameter; the wire name is `page_size`.
    client.users.listUsersMetadata({ task_ids: ["t"], pageSize: 10 });
    // @ts-expect-error `taskIds` is not a parameter.
    client.users.getUserDetails("u", { taskIds: ["t"] });
  });

  it("rejects a wrong parameter type", () => {
    // @ts-expect-error task_ids is an array of strings.
    client.users.listUsersMetadata({ task_ids: "t" });
    // @ts-expect-error page_size is a number.
    client.users.listUsersMetadata({ task_ids: ["t"], page_size: "10" });
    // @ts-expect-error sort is "asc" | "desc".
    client.users.listUsersMetadata({ task_ids: ["t"], sort: "up" });
    // @ts-expect-error start_time is a Date or a string.
    client.users.listUsersMetadata({ task_ids: ["t"], start_time: 1700000000 });
    // @ts-expect-error the user id is a string.
    client.users.getUserDetails(42, { task_ids: ["t"] });
    // @ts-expect-error timeout is a number of milliseconds.
    client.users.getUserDetails("u", { task_ids: ["t"] }, { timeout: "1s" });
  });

  it("rejects missing required parameters", () => {
    // @ts-expect-error task_ids is required.
    client.users.listUsersMetadata({ page_size: 10 });
    // @ts-expect-error the query with task_ids is required.
    client.users.listUsersMetadata();
    // @ts-expect-error the user id is required.
    client.users.getUserDetails({ task_ids: ["t"] });
  });

  it("types the raw client from paths", () => {
    // @ts-expect-error the raw client checks paths too.
    client.raw.GET("/api/v1/traces/nope");
    client.raw.GET("/api/v1/traces/users/{user_id}", {
      // @ts-expect-error task_ids is required here as well.
      params: { path: { user_id: "u" }, query: {} },
    });
  });
});

describe("option types accept what the runtime does", () => {
  it("takes falsy middleware entries, header pairs and Maps, and upper-case log levels", () => {
    const debug = process.env.DEBUG === "1";
    const logging: Middleware = { onRequest: ({ request }) => void request.url };
    createTracesClient({
      baseUrl: "http://127.0.0.1:1",
      middleware: [debug && logging, null, undefined],
      headers: new Map([["x-team", "t"]]),
      logLevel: "DEBUG",
    });
    void client.users.getUserDetails(
      "u",
      { task_ids: ["t"] },
      { middleware: [debug && logging], headers: [["x-a", "1"]] as const },
    );
    void client.users.getUserDetails(
      "u",
      { task_ids: ["t"] },
      { headers: { "x-count": 2, "x-flag": true, "x-gone": null } },
    );
    // @ts-expect-error a header value is text, a number or a boolean, not an object.
    void client.users.getUserDetails("u", { task_ids: ["t"] }, { headers: { "x-obj": { a: 1 } } });
    // @ts-expect-error an entry is middleware or falsy.
    createTracesClient({ middleware: [5] });
    // @ts-expect-error log levels are the five names.
    createTracesClient({ logLevel: "trace" });
  });
});
