import { defineConfig } from "tsup";

// ESM for bundlers and modern runtimes, CJS for require(); each with its own declaration file.
// Splitting in both formats: `./testing` shares the runtime's modules (PagePromise, the errors)
// with the main entry instead of carrying a second copy of them.
export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  splitting: true,
});
