/**
 * The calls every runtime smoke test makes with the built client: auth, dates, pagination with
 * `for await`, a retried 503, a typed 404, and the raw client. Plain JavaScript, web APIs only.
 * @param {typeof import("../../src/index.js")} sdk the built package
 * @param {string} baseUrl the loopback test server
 */
export async function smoke(sdk, baseUrl) {
  const client = sdk.createTracesClient({ baseUrl, apiKey: "runtime-key", headers: { "x-runtime": "smoke" } });
  const first = await client.users.listUsersMetadata({
    task_ids: ["t1"],
    page_size: 2,
    start_time: new Date(Date.UTC(2026, 2, 1, 8, 30)),
  });
  const all = [];
  for await (const user of client.users.listUsersMetadata({ task_ids: ["t1"], page_size: 2 })) all.push(user.user_id);
  let notFound = "";
  try {
    await client.users.getUserDetails("missing", { task_ids: ["t1"] });
  } catch (error) {
    notFound = `${error.name}:${error instanceof sdk.NotFoundError}:${error instanceof sdk.TracesError}`;
  }
  const flaky = await client.users.getUserDetails("flaky", { task_ids: ["t1"] });
  const raw = await client.raw.GET("/api/v1/traces/users", { params: { query: { task_ids: ["r"] } } });
  let invalid = "";
  try {
    sdk.createTracesClient({ baseURL: baseUrl });
  } catch (error) {
    invalid = error.message;
  }
  return { firstCount: first.count, all, notFound, flaky: flaky.user_id, rawCount: raw.data?.count, invalid };
}
