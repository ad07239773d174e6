import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureDir,
  externalReferences,
  generatedDir,
  launchChromium,
  loadInChromium,
  missingAnchors,
  resultsDir,
} from "./helpers.js";

const htmlFile = join(generatedDir, "html/index.html");
const html = readFileSync(htmlFile, "utf8");
const spec = JSON.parse(readFileSync(join(generatedDir, "openapi.json"), "utf8"));
const operations: Array<{ id: string; htmlAnchor: string }> = JSON.parse(
  readFileSync(join(generatedDir, "operations.json"), "utf8"),
);

describe("the HTML reference, as a file", () => {
  it("references nothing outside itself: every src/href is relative or an in-page anchor", () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|<iframe\b|<img\b/i);
    // A CSP that forbids every fetch makes the promise hold in the browser too.
    expect(html).toContain("default-src 'none'");
  });

  it("the error table's 422 row says no operation documents a 422 (the engine answers 400)", () => {
    const row = /<tr><td>422<\/td><td>([\s\S]*?)<\/td><\/tr>/.exec(html)?.[1] ?? "";
    expect(row).toContain("<code>UnprocessableEntityError</code>");
    expect(row).toContain("no operation of this API documents a 422");
    expect(row).not.toContain("lists each failed check");
  });

  it("the detector finds what it must", () => {
    expect(
      externalReferences('<a href="https://example.com/x">x</a><script src="//cdn.example/x.js"></script>'),
    ).toEqual(["https://example.com/x", "//cdn.example/x.js"]);
    expect(externalReferences("<style>@font-face{src:url(https://fonts.example/f.woff2)}</style>")).toEqual([
      "url(https://fonts.example/f.woff2)",
    ]);
  });

  it("every in-page link has its target", () => {
    expect(missingAnchors(html)).toEqual([]);
    expect(html.match(/href="#/g)?.length).toBeGreaterThan(20);
  });

  it("has light and dark schemes", () => {
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
  });
});

describe("the HTML reference in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("loads without console errors or requests, with every operation and model, and search finds getUserDetails", async () => {
    let found: string[] = [];
    let hiddenAfterSearch: string[] = [];
    let status = "";
    const report = await loadInChromium(browser, htmlFile, async (page) => {
      await page.screenshot({ path: join(ensureDir(resultsDir), "reference-light.png"), fullPage: true });
      await page.fill("#search", "getUserDetails");
      found = await page.$$eval("nav [data-search]:not([hidden]) a", (els) =>
        els.map((e) => e.textContent?.trim() ?? ""),
      );
      hiddenAfterSearch = await page.$$eval("nav [data-search][hidden] a", (els) =>
        els.map((e) => e.textContent?.trim() ?? ""),
      );
      status = (await page.textContent("#search-status")) ?? "";
      await page.screenshot({ path: join(resultsDir, "reference-search.png") });
      // Enter jumps to the first match.
      await page.press("#search", "Enter");
      expect(await page.evaluate(() => location.hash)).toBe("#op-users-getUserDetails");
      await page.fill("#search", "TraceUserList");
      expect(
        await page.$$eval("nav [data-search]:not([hidden]) a", (els) => els.map((e) => e.textContent?.trim())),
      ).toEqual(["TraceUserListResponse"]);
    });
    expect(report.consoleErrors).toEqual([]);
    expect(report.foreignRequests).toEqual([]);
    expect(report.operations.sort()).toEqual(operations.map((o) => o.id).sort());
    expect(report.models.sort()).toEqual(Object.keys(spec.components.schemas).sort());
    expect(found).toEqual(["GET users.getUserDetails"]);
    expect(hiddenAfterSearch).toContain("GET users.listUsersMetadata");
    expect(status).toBe("1 match");
  });

  it("follows the system colour scheme", async () => {
    const colours: Record<string, string> = {};
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(`file://${htmlFile}`);
      colours[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (scheme === "dark") await page.screenshot({ path: join(ensureDir(resultsDir), "reference-dark.png") });
      await context.close();
    }
    expect(colours.light).toBe("rgb(255, 255, 255)");
    expect(colours.dark).toBe("rgb(13, 17, 23)");
  });
});
