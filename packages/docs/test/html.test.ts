/**
 * The offline HTML reference: as a file (self-contained, anchors resolve, embedded index and spec),
 * then in headless Chromium at phone, tablet and desktop widths in both colour schemes: no
 * horizontal overflow, collapsing sidebar, search over content with the keyboard, copy buttons,
 * expandable schemas, the current-section marker, the spec download, print styles, and axe-core.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureDir,
  externalReferences,
  generatedDir,
  idProblems,
  launchChromium,
  missingAnchors,
  resultsDir,
  serveFolder,
} from "./helpers.js";

const htmlFile = join(generatedDir, "html/index.html");
const html = readFileSync(htmlFile, "utf8");
const specText = readFileSync(join(generatedDir, "openapi.json"), "utf8");
const spec = JSON.parse(specText);
const operations: Array<{ id: string; htmlAnchor: string; sdkMethod: string }> = JSON.parse(
  readFileSync(join(generatedDir, "operations.json"), "utf8"),
);
const axeSource = readFileSync(join(dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js"), "utf8");
const embedded = (id: string) => {
  const m = html.match(new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`));
  return JSON.parse((m?.[1] as string) ?? "null");
};

describe("the HTML reference, as a file", () => {
  it("references nothing outside itself: every src/href is relative or an in-page anchor", () => {
    // The one relative link (../openapi.json) is the spec's download link; the page serves its own copy.
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|<iframe\b|<img\b/i);
    // A CSP that forbids every fetch makes the promise hold in the browser too.
    expect(html).toContain("default-src 'none'");
  });

  it("the error table's 422 row says no operation documents a 422 (the engine answers 400)", () => {
    const row = /<tr[^>]*><td>422<\/td><td>([\s\S]*?)<\/td><\/tr>/.exec(html)?.[1] ?? "";
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
    expect(externalReferences('<p style="background:url(//img.example/x.png)">x</p>')).toEqual([
      "url(//img.example/x.png)",
    ]);
    expect(externalReferences("<style>@import 'https://x.example/a.css';</style>")).toEqual([
      "@import 'https://x.example/a.css'",
    ]);
  });

  it("every in-page link has its target, and so does every search entry", () => {
    expect(missingAnchors(html)).toEqual([]);
    expect(html.match(/href="#/g)?.length).toBeGreaterThan(20);
    expect(idProblems(html)).toEqual({ duplicates: [], unresolvedSearch: [] });
    expect(idProblems('<p id="a"></p><p id="a"></p>').duplicates).toEqual(["a"]);
    const index: string[][] = embedded("search-index");
    const kinds = new Set(index.map((e) => e[0]));
    expect([...kinds].sort()).toEqual(["error", "field", "model", "operation", "parameter", "status"]);
  });

  it("embeds the bundled spec, equal to openapi.json", () => {
    expect(embedded("openapi-spec")).toEqual(spec);
    expect(html).not.toMatch(/<\/script[^>]*>[^<]*"openapi"/);
  });

  it("highlights examples when generated: class names only, colours in the page's own CSS", () => {
    expect(html).toMatch(/<code class="language-ts hljs"><span class="k">import<\/span>/);
    expect(html).toMatch(/<code class="language-sh hljs">curl \\\n {2}<span class="s">/);
    expect(html).toMatch(/<span class="s">&quot;@traces-sdk\/client&quot;<\/span>/);
    expect(html).toMatch(/\.hljs \.k \{ color: var\(--hl-keyword\); \}/);
    expect(html).not.toMatch(/highlight\.min\.js|fonts\.googleapis|cdn/i);
  });

  it("has light and dark schemes, and a print stylesheet", () => {
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/@media print/);
  });
});

describe("the HTML reference in headless Chromium", () => {
  let browser: Browser;
  let url: string;
  let server: import("node:http").Server;
  beforeAll(async () => {
    browser = await launchChromium();
    ({ url, server } = await serveFolder(dirname(htmlFile)));
    ensureDir(resultsDir);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  /** Opens the page; every request that is not the page itself is recorded and aborted. */
  async function open(options: Parameters<Browser["newContext"]>[0] = {}) {
    const context = await browser.newContext(options);
    const foreign: string[] = [];
    const errors: string[] = [];
    await context.route("**/*", (route) => {
      const u = route.request().url();
      if (u === `${url}/index.html`) return route.continue();
      foreign.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(`${url}/index.html`, { waitUntil: "load" });
    return { context, page, foreign, errors };
  }

  const results = (page: Page) =>
    page.$$eval("#search-results [role=option]", (els) =>
      els.map((e) => ({
        kind: e.querySelector(".kind")?.textContent ?? "",
        title: e.querySelector(".title")?.textContent ?? "",
        context: e.querySelector(".context")?.textContent ?? "",
        href: e.getAttribute("data-href") ?? "",
      })),
    );

  it("loads with no request but itself and no console error, with every operation and model", async () => {
    const { context, page, foreign, errors } = await open();
    try {
      const ops = await page.$$eval("section.operation", (els) => els.map((e) => e.getAttribute("data-operation")));
      const models = await page.$$eval("section.model", (els) => els.map((e) => e.getAttribute("data-model")));
      expect(ops.sort()).toEqual(operations.map((o) => o.id).sort());
      expect(models.sort()).toEqual(Object.keys(spec.components.schemas).sort());
      // Open every expandable part and use search, so lazy work runs too.
      await page.$$eval("details", (els) => {
        for (const d of els) (d as HTMLDetailsElement).open = true;
      });
      await page.fill("#search", "user");
      await page.waitForTimeout(100);
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const width of [320, 390, 768, 1280]) {
    it(`fits ${width} px wide in both colour schemes: no horizontal overflow; tables and code scroll inside themselves`, async () => {
      for (const scheme of ["light", "dark"] as const) {
        const { context, page, errors } = await open({ viewport: { width, height: 900 }, colorScheme: scheme });
        try {
          const overflow = await page.evaluate(() => [document.scrollingElement?.scrollWidth ?? 0, innerWidth]);
          expect(overflow[0], `${width} px ${scheme}`).toBeLessThanOrEqual(overflow[1] as number);
          await page.screenshot({ path: join(resultsDir, `reference-${width}-${scheme}.png`) });
          // The same with every schema expanded, at the first operation.
          await page.$$eval("details", (els) => {
            for (const d of els) (d as HTMLDetailsElement).open = true;
          });
          const expanded = await page.evaluate(() => [document.scrollingElement?.scrollWidth ?? 0, innerWidth]);
          expect(expanded[0], `${width} px ${scheme}, expanded`).toBeLessThanOrEqual(expanded[1] as number);
          // Nothing inside main sticks out of it.
          const wide = await page.$$eval("main *", (els) =>
            els
              .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest("pre, table"))
              .map((e) => `${e.tagName}.${e.className}`)
              .slice(0, 5),
          );
          expect(wide).toEqual([]);
          if (scheme === "light") {
            await page.goto(`${url}/index.html#${operations[0]?.htmlAnchor}`);
            await page.screenshot({ path: join(resultsDir, `reference-${width}-operation.png`) });
          }
          if (width <= 390) {
            const scrollers = await page.$$eval("main table, main pre", (els) =>
              els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.getAttribute("tabindex")),
            );
            expect(scrollers.length).toBeGreaterThan(0);
            expect(new Set(scrollers)).toEqual(new Set(["0"]));
          }
          expect(errors).toEqual([]);
        } finally {
          await context.close();
        }
      }
    });
  }

  it("collapses the sidebar behind a Menu button on narrow screens; shows it on wide ones", async () => {
    const narrow = await open({ viewport: { width: 390, height: 800 } });
    try {
      const button = narrow.page.locator("#menu-toggle");
      expect(await button.isVisible()).toBe(true);
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await narrow.page.locator("#sidebar-nav").isVisible()).toBe(false);
      await button.click();
      expect(await button.getAttribute("aria-expanded")).toBe("true");
      expect(await narrow.page.locator("#sidebar-nav").isVisible()).toBe(true);
      await narrow.page.screenshot({ path: join(resultsDir, "reference-390-menu-open.png") });
      // Following a link closes it again.
      await narrow.page.click(`#sidebar-nav a[href="#${operations[0]?.htmlAnchor}"]`);
      expect(await button.getAttribute("aria-expanded")).toBe("false");
      expect(await narrow.page.evaluate(() => location.hash)).toBe(`#${operations[0]?.htmlAnchor}`);
    } finally {
      await narrow.context.close();
    }
    const wide = await open({ viewport: { width: 1280, height: 800 } });
    try {
      expect(await wide.page.locator("#menu-toggle").isVisible()).toBe(false);
      expect(await wide.page.locator("#sidebar-nav").isVisible()).toBe(true);
    } finally {
      await wide.context.close();
    }
    // Without JavaScript the navigation is simply there.
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
    try {
      const page = await noJs.newPage();
      await page.goto(`${url}/index.html`);
      expect(await page.locator("#sidebar-nav").isVisible()).toBe(true);
      expect(await page.locator("#menu-toggle").isVisible()).toBe(false);
      // No search box that could not search.
      expect(await page.locator("#search").isVisible()).toBe(false);
    } finally {
      await noJs.close();
    }
  });

  it("searches parameters, statuses, error classes, fields and models, ranked, from the keyboard", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      // `/` focuses the search box from anywhere on the page.
      await page.click("main h1");
      await page.keyboard.press("/");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");

      await page.keyboard.type("task_ids");
      const taskIds = await results(page);
      expect(taskIds.slice(0, 2).map((r) => [r.kind, r.title])).toEqual([
        ["Parameter", "task_ids"],
        ["Parameter", "task_ids"],
      ]);
      expect(
        taskIds
          .slice(0, 2)
          .map((r) => r.href)
          .sort(),
      ).toEqual(["#op-users-getUserDetails--query-task_ids", "#op-users-listUsersMetadata--query-task_ids"]);
      expect(await page.getAttribute("#search", "aria-expanded")).toBe("true");
      await page.screenshot({ path: join(resultsDir, "reference-search-task_ids.png") });

      await page.fill("#search", "404");
      const notFound = await results(page);
      expect(notFound[0]).toMatchObject({ kind: "Status", title: "404", href: "#op-users-getUserDetails--404" });
      expect(notFound[0]?.context).toContain("NotFoundError");
      expect(notFound.map((r) => r.title)).toContain("NotFoundError");

      await page.fill("#search", "NotFoundError");
      const byClass = await results(page);
      expect(byClass[0]).toMatchObject({ kind: "Error class", title: "NotFoundError", href: "#error-NotFoundError" });
      expect(byClass[1]).toMatchObject({ kind: "Status", title: "404" });

      // A field of a model, and a model by part of its name.
      await page.fill("#search", "total_token_cost");
      expect((await results(page))[0]).toMatchObject({
        kind: "Field",
        title: "total_token_cost",
        href: "#model-TraceUserMetadataResponse--total_token_cost",
      });
      await page.fill("#search", "UserList");
      expect((await results(page))[0]).toMatchObject({ kind: "Model", title: "TraceUserListResponse" });
      await page.fill("#search", "get user details");
      expect((await results(page))[0]).toMatchObject({ kind: "Operation", title: "users.getUserDetails" });
      await page.fill("#search", "zzzz-nothing");
      expect(await results(page)).toEqual([]);
      expect(await page.textContent("#search-status")).toBe("No matches");

      // Arrow keys move the selection (announced through aria-activedescendant); Enter goes there.
      await page.fill("#search", "task_ids");
      expect(await page.getAttribute("#search-result-0", "aria-selected")).toBe("true");
      await page.keyboard.press("ArrowDown");
      expect(await page.getAttribute("#search-result-1", "aria-selected")).toBe("true");
      expect(await page.getAttribute("#search", "aria-activedescendant")).toBe("search-result-1");
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("ArrowUp");
      const last = (await results(page)).length - 1;
      expect(await page.getAttribute(`#search-result-${last}`, "aria-selected")).toBe("true");
      await page.keyboard.press("ArrowDown");
      const first = (await results(page))[0]?.href;
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => location.hash)).toBe(first);
      expect(await page.isVisible("#search-results")).toBe(false);
      // Escape clears the query, a second Escape leaves the box.
      await page.focus("#search");
      await page.keyboard.press("Escape");
      expect(await page.inputValue("#search")).toBe("");
      await page.keyboard.press("Escape");
      expect(await page.evaluate(() => document.activeElement?.id)).not.toBe("search");
    } finally {
      await context.close();
    }
  });

  it("copies an example to the clipboard with its Copy button", async () => {
    const { context, page } = await open({ permissions: ["clipboard-read", "clipboard-write"] });
    try {
      const curl = page.locator(`#${operations[0]?.htmlAnchor} pre code.language-sh`);
      const text = await curl.textContent();
      expect(text).toMatch(/^curl /);
      const button = page.locator(`#${operations[0]?.htmlAnchor} .code:has(code.language-sh) button.copy`);
      expect(await button.getAttribute("aria-label")).toBe("Copy the curl example");
      await button.click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
      expect(await button.textContent()).toBe("Copied");
      expect(await page.locator("button.copy").count()).toBe(await page.locator("main pre").count());
    } finally {
      await context.close();
    }
  });

  it("expands nested schemas and marks the section being read in the sidebar", async () => {
    const { context, page } = await open({ viewport: { width: 1280, height: 900 } });
    try {
      const list = page.locator("#op-users-listUsersMetadata details.schema");
      expect(await list.locator("summary").first().textContent()).toBe("Response 200 fields");
      expect(await list.locator("li code", { hasText: "user_id" }).first().isVisible()).toBe(false);
      await list.locator("summary").first().click();
      const users = list.locator("li > details > summary", { hasText: "users" });
      await users.click();
      expect(await list.locator("li code", { hasText: "user_id" }).first().isVisible()).toBe(true);

      const current = () => page.$$eval("nav a[aria-current]", (els) => els.map((e) => e.getAttribute("href")));
      for (const target of ["op-users-getUserDetails", "model-ErrorDetail", "errors", "op-users-listUsersMetadata"]) {
        await page.evaluate((id) => document.getElementById(id)?.scrollIntoView(), target);
        await expect.poll(current).toEqual([`#${target}`]);
      }
      expect(await page.getAttribute('nav a[href="#op-users-listUsersMetadata"]', "aria-current")).toBe("location");
    } finally {
      await context.close();
    }
  });

  it("downloads the bundled spec from the page itself, byte for byte openapi.json", async () => {
    const { context, page, foreign } = await open();
    try {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#spec-download")]);
      expect(download.suggestedFilename()).toBe("openapi.json");
      const path = await download.path();
      expect(readFileSync(path, "utf8")).toBe(specText);
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("prints without the sidebar, search or copy buttons, with code wrapped", async () => {
    const { context, page } = await open();
    try {
      await page.emulateMedia({ media: "print" });
      const styles = await page.evaluate(() => ({
        sidebar: getComputedStyle(document.getElementById("sidebar") as Element).display,
        copy: getComputedStyle(document.querySelector("button.copy") as Element).display,
        pre: getComputedStyle(document.querySelector("main pre") as Element).whiteSpace,
      }));
      expect(styles).toEqual({ sidebar: "none", copy: "none", pre: "pre-wrap" });
      const pdf = await page.pdf({ format: "A4" });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      writeFileSync(join(resultsDir, "reference-print.pdf"), pdf);
    } finally {
      await context.close();
    }
  });

  it("has no serious or critical axe-core violations, in light and dark, wide and narrow", async () => {
    const report: Record<string, Array<{ id: string; impact: string; nodes: number; targets: string[] }>> = {};
    for (const scheme of ["light", "dark"] as const) {
      for (const width of [1280, 390]) {
        const { context, page } = await open({ viewport: { width, height: 900 }, colorScheme: scheme });
        try {
          await page.emulateMedia({ colorScheme: scheme });
          // Expanded parts and an open result list are checked too.
          await page.$$eval("details", (els) => {
            for (const d of els) (d as HTMLDetailsElement).open = true;
          });
          if (width < 800) await page.click("#menu-toggle");
          await page.fill("#search", "task");
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(async () => {
            // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global.
            const axe = (window as any).axe;
            const r = await axe.run(document, { resultTypes: ["violations"] });
            return r.violations.map((v: { id: string; impact: string; nodes: Array<{ target: string[] }> }) => ({
              id: v.id,
              impact: v.impact,
              nodes: v.nodes.length,
              targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
          });
          report[`${scheme}-${width}`] = result;
        } finally {
          await context.close();
        }
      }
    }
    writeFileSync(join(resultsDir, "axe-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    for (const [where, violations] of Object.entries(report)) {
      expect(
        violations.filter((v) => v.impact === "serious" || v.impact === "critical"),
        where,
      ).toEqual([]);
    }
  });
});

export type { BrowserContext };
