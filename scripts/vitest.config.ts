import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "pipeline",
    include: ["lib/**/*.test.ts"],
    // These tests run the real generator (Java, openapi-generator) on whole specs.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // The pipeline tests write into the packages' generated folders' neighbours; one file at a time.
    fileParallelism: false,
  },
});
