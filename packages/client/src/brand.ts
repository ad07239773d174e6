/**
 * Lets `instanceof` recognise the client's errors across copies of the package: the ES module and
 * the CommonJS build loaded side by side (the dual-package hazard), or two installed versions. Each
 * error class's prototype carries a brand under a registered symbol (`Symbol.for`, shared by every
 * realm-local copy), and a static `Symbol.hasInstance` accepts any object whose prototype chain
 * carries the class's brand.
 */

/** Registered symbol under which each error prototype stores its class's brand. */
const BRAND: unique symbol = Symbol.for("@traces-sdk/client.error") as never;

type Branded = { [BRAND]?: string };

/**
 * Whether `value` is an instance of `Class` by ordinary prototype identity or, across copies of the
 * package, by brand. A subclass defined outside the package has no brand of its own and falls back
 * to the ordinary check, so `instanceof MySubclass` keeps its usual meaning.
 */
function hasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = this.prototype as Branded;
  if (!Object.hasOwn(proto, BRAND)) return false;
  const wanted = proto[BRAND];
  for (let p = Object.getPrototypeOf(value) as Branded | null; p !== null; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, BRAND) && p[BRAND] === wanted) return true;
  }
  return false;
}

const PREFIX = "@traces-sdk/client:";

/** The name of the nearest branded class of `error` (`NotFoundError`), which becomes its `name`. */
export function brandedName(error: object): string {
  return ((error as Branded)[BRAND] ?? "").slice(PREFIX.length);
}

/**
 * Brands each class of `classes` with `@traces-sdk/client:<key>` and installs the brand-aware
 * `Symbol.hasInstance` on `root`, from which every subclass inherits it.
 */
export function brandErrors(
  root: abstract new (...args: never[]) => unknown,
  classes: Record<string, abstract new (...args: never[]) => unknown>,
): void {
  for (const [name, Class] of Object.entries(classes)) {
    Object.defineProperty(Class.prototype, BRAND, { value: PREFIX + name });
  }
  Object.defineProperty(root, Symbol.hasInstance, { value: hasInstance, configurable: true });
}
