import { describe, expectTypeOf, it, vi } from "vitest";
import {
  createTracesClient,
  type PagePromise,
  type TracesClient,
  type TraceUserListResponse,
  type TraceUserMetadataResponse,
} from "../src/index.js";
import { createFakeClient, fakePage } from "../src/testing.js";

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
});
