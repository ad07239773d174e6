import { defineConfig } from "vitest/config";

// One run for the whole repository: each package and the pipeline (scripts/) is a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "scripts"],
  },
});
