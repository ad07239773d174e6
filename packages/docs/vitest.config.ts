import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "docs",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Generation runs the JVM and the browser test starts Chromium: both take seconds.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
