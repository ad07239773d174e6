import { describe, expectTypeOf, it, vi } from "vitest";
import {
  type APIPromise,
  createTracesClient,
  type PagePromise,
  type TracesClient,
  type TraceUserDetailsResponse,
  type TraceUserListResponse,
  type TraceUserMetadataResponse,
  type WithResponse,
} from "../src/index.js";
import { createFakeClient, type FakeResultInit, fakeAPIError, fakePage, fakeResult } from "../src/testing.js";

declare const user: TraceUserMetadataResponse;
declare const page: TraceUserListResponse;

describe("testing types", () => {
  it("returns a fully typed TracesClient, with no cast", () => {
    const client = createFakeClient({ users: { listUsersMetadata: () => ({ count: 1, users: [user] }) } });
    expectTypeOf(client).toEqualTypeOf<TracesClient>();
  });

  it("types each fake from its method: parameters in, the resolved value out", () => {
    createFakeClient({
      users: {
        getUserDetails: (userId, query, options) => {
          expectTypeOf(userId).toEqualTypeOf<string>();
          expectTypeOf(query.task_ids).toEqualTypeOf<string[]>();
          expectTypeOf(options?.timeout).toEqualTypeOf<number | undefined>();
          return user;
        },
        listUsersMetadata: async () => page,
      },
    });
    // @ts-expect-error a page body is not a user
    createFakeClient({ users: { getUserDetails: () => page } });
    // @ts-expect-error a paginated fake returns a page body, not an items array
    createFakeClient({ users: { listUsersMetadata: () => [user] } });
    // @ts-expect-error no such method
    createFakeClient({ users: { listUsers: () => page } });
  });

  it("gives fakePage the method's return type, so a spy accepts it", () => {
    expectTypeOf(fakePage(page)).toEqualTypeOf<PagePromise<TraceUserListResponse, TraceUserMetadataResponse>>();
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakePage(page, page));
    // @ts-expect-error a user is not a page
    vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakePage(user));
  });

  it("gives fakeResult the APIPromise of its value, so a spy on a plain method accepts it", () => {
    expectTypeOf(fakeResult(user)).toEqualTypeOf<APIPromise<TraceUserMetadataResponse>>();
    expectTypeOf(fakeResult(Promise.resolve(user))).toEqualTypeOf<APIPromise<TraceUserMetadataResponse>>();
    expectTypeOf(fakeResult(user).withResponse()).resolves.toEqualTypeOf<WithResponse<TraceUserMetadataResponse>>();
    const client = createTracesClient({ baseUrl: "http://127.0.0.1:1" });
    vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(user, { requestId: "req-1", status: 200 }));
    vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(Promise.reject(fakeAPIError({ status: 404 }))));
    expectTypeOf(fakeResult<TraceUserDetailsResponse>)
      .parameter(1)
      .toEqualTypeOf<FakeResultInit | undefined>();
    // @ts-expect-error a page is not a user's details
    vi.spyOn(client.users, "getUserDetails").mockReturnValue(fakeResult(page));
    // @ts-expect-error a paginated method needs fakePage: an APIPromise is not async-iterable
    vi.spyOn(client.users, "listUsersMetadata").mockReturnValue(fakeResult(page));
    // @ts-expect-error no such option
    fakeResult(user, { requestID: "req-1" });
    // @ts-expect-error headers are a HeadersInit
    fakeResult(user, { headers: 1 });
  });

  it("lets a createFakeClient fake return a fakeResult, plain or paginated", () => {
    createFakeClient({
      users: {
        getUserDetails: () => fakeResult(user, { requestId: "req-1" }),
        listUsersMetadata: async () => fakeResult(page, { headers: { "x-request-id": "req-2" } }),
      },
    });
    // @ts-expect-error a page body is not a user
    createFakeClient({ users: { getUserDetails: () => fakeResult(page) } });
  });
});
