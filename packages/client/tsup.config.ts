import { defineConfig } from "tsup";

// ESM for bundlers and modern runtimes, CJS for require(); each with its own declaration file.
// `./testing` imports the main entry by the package's name (external), so that it loads the very
// copy an app imports; splitting shares the generated metadata both use.
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
  external: ["@traces-sdk/client"],
});
