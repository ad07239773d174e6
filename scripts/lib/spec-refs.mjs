/**
 * Keeps the repository's spec self-contained: every file `spec/openapi.yaml` reaches through
 * `$ref` must lie under `spec/`, because that folder is what the build hashes (turbo's inputs), what
 * `pnpm spec:changeset` and `pnpm check:release` read at a past revision, and what the spec-change
 * workflow watches. A `$ref` that leaves it (`../extra/ext.yaml`, an absolute path or a URL)
 * would be generated from but never noticed when it changes. Specs passed with `--spec` are not
 * held to this.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { SpecError } from "./errors.mjs";
import { repoRoot } from "./paths.mjs";

/** The rule's name, as error messages cite it. */
export const RULE = "spec-refs-stay-in-spec-folder";

/**
 * Follows the external `$ref`s from `file` (and from the files they reach) and throws a SpecError
 * naming each one that points outside `folder`.
 * @param {string} file the spec, e.g. spec/openapi.yaml
 * @param {string} [folder] the folder every referenced file must lie in (default: the spec's)
 */
export function assertRefsInside(file, folder = dirname(file)) {
  const problems = [];
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    let doc;
    try {
      doc = parseYaml(readFileSync(path, "utf8"));
    } catch {
      return; // the loader reports unparsable files with their own message
    }
    const shown = relative(repoRoot, path).split("\\").join("/");
    const walk = (node, pointer) => {
      if (!node || typeof node !== "object") return;
      if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) {
        const target = node.$ref.split("#")[0];
        const where = `${shown}#${pointer}`;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          problems.push({
            location: where,
            message: `$ref "${node.$ref}" points to a URL. Copy the file into spec/ and refer to it by a relative path: the build only sees files under spec/.`,
            rule: RULE,
          });
        } else {
          const abs = resolve(dirname(path), target);
          const rel = relative(folder, abs);
          if (isAbsolute(target) || rel.startsWith("..") || isAbsolute(rel)) {
            problems.push({
              location: where,
              message: `$ref "${node.$ref}" points outside spec/ (${relative(repoRoot, abs).split("\\").join("/")}). Files the spec refers to must live under spec/, where the build, pnpm check:release and the spec-change workflow see them: move the file into spec/ and update the $ref.`,
              rule: RULE,
            });
          } else visit(abs);
        }
      }
      for (const [k, v] of Object.entries(node))
        walk(v, `${pointer}/${String(k).replace(/~/g, "~0").replace(/\//g, "~1")}`);
    };
    walk(doc, "");
  };
  visit(resolve(file));
  if (problems.length > 0) throw new SpecError(relative(repoRoot, file), problems);
}
