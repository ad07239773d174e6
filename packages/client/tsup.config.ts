import { defineConfig } from "tsup";

// ESM for bundlers and modern runtimes, CJS for require(); each with its own declaration file.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
});
