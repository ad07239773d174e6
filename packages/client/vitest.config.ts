import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  // `./testing` imports the main entry by the package's name; tests run it from the sources.
  resolve: {
    alias: [{ find: /^@traces-sdk\/client$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) }],
  },
  test: {
    name: "client",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The browser test runs the built dist; build it once if a plain `vitest run` finds none.
    globalSetup: ["test/global-setup.ts"],
    // Type tests (*.test-d.ts) are compiled, not run: wrong parameter names or types fail the run.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
