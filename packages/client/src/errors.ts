/**
 * The one error hierarchy of the client. Resource methods resolve to the response body or throw
 * one of these; `client.raw` never throws for an HTTP status (it returns `{ data, error }`).
 */
import { brandErrors, brandedName } from "./brand.js";
import type { ValidationErrorItem } from "./generated/metadata.js";

/**
 * Base class of every error the client throws. Each class's `name` is its own (`NotFoundError`,
 * ...), taken from its brand, so subclasses need no constructor to set it.
 */
export class TracesError extends Error {
  /** Creates the error; `cause` keeps the underlying error, if any. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = brandedName(this);
  }
}

/** The server answered with a status the call did not expect, or a body the client cannot read. */
export class APIError extends TracesError {
  /** HTTP status code of the response. */
  declare readonly status: number;
  /** Response headers. */
  declare readonly headers: Headers;
  /** Response body: parsed JSON when it is JSON, otherwise the text (undefined when empty). */
  declare readonly body: unknown;
  /** The server's request id (`x-request-id` and the like), when it sends one. */
  declare readonly requestId: string | undefined;

  /** Creates the error from a response; prefer `APIError.from`, which picks the subclass. */
  constructor(message: string, init: APIErrorInit, options?: { cause?: unknown }) {
    super(message, options);
    this.status = init.status;
    this.headers = init.headers;
    this.body = init.body;
    this.requestId = init.requestId;
  }

  /** Builds the subclass that matches `init.status`, with a message naming method, path and the server's detail. */
  static from(init: APIErrorInit & { method: string; path: string; statusText?: string; hint?: string }): APIError {
    const reason = describeDetail(init.body, init.headers?.get?.("content-type") ?? undefined);
    const message = `${init.method} ${init.path} failed with ${init.status}${init.statusText ? ` ${init.statusText}` : ""}${
      reason ? `: ${reason}` : ""
    }${init.requestId ? ` (request id ${init.requestId})` : ""}${init.hint ? `. ${init.hint}` : ""}`;
    const Class = errorClassFor(init.status);
    return new Class(message, init);
  }
}

/** What an `APIError` is built from. */
export interface APIErrorInit {
  /** HTTP status code. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Decoded response body. */
  body: unknown;
  /** The server's request id, if any. */
  requestId: string | undefined;
}

/**
 * 400: the server rejected the request: a parameter failed the engine's validation (`detail` is
 * pydantic's message, then a server traceback; the error's `message` keeps only the validation
 * message, `body` the whole answer) or `page_size` is outside 1..5000.
 */
export class BadRequestError extends APIError {}

/** 401: no API key, or one the server does not accept. */
export class AuthenticationError extends APIError {}

/** 403: the API key lacks the permission this call needs. */
export class PermissionDeniedError extends APIError {}

/** 404: the resource does not exist (for example a user with no data for the given tasks). */
export class NotFoundError extends APIError {}

/** 422: the server's parameter validation failed; `detail` lists each failed check. */
export class UnprocessableEntityError extends APIError {
  /** The server's validation errors (empty when the body had none). */
  declare readonly detail: ValidationErrorItem[];

  /** Creates the error; see `APIError`. */
  constructor(message: string, init: APIErrorInit, options?: { cause?: unknown }) {
    super(message, init, options);
    const detail = (init.body as { detail?: unknown } | undefined)?.detail;
    this.detail = Array.isArray(detail) ? (detail as ValidationErrorItem[]) : [];
  }
}

/** 429: too many requests; retried automatically (honouring `Retry-After`) before this is thrown. */
export class RateLimitError extends APIError {}

/** 500 or above: the server failed; retried automatically before this is thrown. */
export class InternalServerError extends APIError {}

/** The request never got an answer: DNS, refused or reset connection, TLS, too many redirects; `cause` is the error `fetch` threw. */
export class APIConnectionError extends TracesError {}

/** An attempt took longer than `timeout` milliseconds (after every retry). */
export class APIConnectionTimeoutError extends APIConnectionError {}

/** The caller's `AbortSignal` aborted the request; it is never retried. `cause` is the signal's reason. */
export class APIUserAbortError extends TracesError {}

/** The input breaks the spec's constraints (a missing `task_ids`, a `page_size` of 0, ...); nothing was sent. */
export class InvalidRequestError extends TracesError {
  /** The wire name of the offending parameter or option, when there is one. */
  declare readonly param: string | undefined;

  /** Creates the error; `param` names what is wrong. */
  constructor(message: string, param?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.param = param;
  }
}

// `instanceof` holds across the ESM and CommonJS builds (and copies of the package) too.
brandErrors(TracesError, {
  TracesError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InvalidRequestError,
});

type APIErrorClass = new (message: string, init: APIErrorInit) => APIError;

/** The class of each status with one of its own; other 5xx are InternalServerError, the rest APIError. */
const CLASS_OF_STATUS: Readonly<Record<number, APIErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

function errorClassFor(status: number): APIErrorClass {
  return CLASS_OF_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}

/** The server's own words: `detail` as a string, a validation list, or the start of a text body. */
function describeDetail(body: unknown, contentType?: string): string | undefined {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body === "string") {
    if (isHtml(body, contentType)) return truncate(`HTML page: ${htmlText(body)}`, 200);
    return truncate(withoutTraceback(body).replace(/\s+/g, " ").trim());
  }
  const detail = (body as { detail?: unknown }).detail ?? (body as { message?: unknown }).message;
  if (typeof detail === "string") return truncate(validationSummary(detail) ?? withoutTraceback(detail));
  if (Array.isArray(detail)) {
    return truncate(
      detail
        .map((d: { loc?: unknown; msg?: unknown }) => {
          const loc = Array.isArray(d?.loc) ? d.loc.join(".") : undefined;
          return loc ? `${loc}: ${String(d?.msg ?? "invalid")}` : String(d?.msg ?? JSON.stringify(d));
        })
        .join("; "),
    );
  }
  return truncate(JSON.stringify(body));
}

/**
 * The engine's 400 for a failed parameter check carries FastAPI's validation message as one string:
 * `N validation error(s):`, one Python-repr line per failed check, a blank line, then a server
 * traceback. This returns `1 validation error: query.task_ids: Field required` (checks joined with
 * `; `), without the traceback; `undefined` when `detail` is not such a message.
 */
function validationSummary(detail: string): string | undefined {
  const match = /^(\d+ validation errors?):?[ \t]*\r?\n([\s\S]*)$/.exec(detail.trimStart());
  if (!match) return undefined;
  const [, heading = "", rest = ""] = match;
  // The checks end at the first blank line or where a traceback starts, whichever comes first.
  const checks = (withoutTraceback(rest).split(/\r?\n[ \t]*\r?\n/)[0] ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map(describeCheck);
  return checks.length > 0 ? `${heading}: ${checks.join("; ")}` : heading;
}

/**
 * A line that starts a Python traceback (grammar of CPython's `traceback` module): the header
 * `Traceback (most recent call last):`, or a frame `  File "<path>", line <N>[, in <name>]`,
 * which the engine's 400s also carry without the header.
 */
const TRACEBACK_LINE = /^[ \t]*(?:Traceback \(most recent call last\):|File "[^"\r\n]*", line \d+(?:, in .*)?$)/;

/**
 * `text` without a Python traceback: everything before the first traceback line (header or frame),
 * trailing blank lines dropped. When the text starts with a traceback, the exception line that ends
 * it (`ValueError: ...`, the first unindented line after the frames) is kept instead.
 */
function withoutTraceback(text: string): string {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => TRACEBACK_LINE.test(line));
  if (at < 0) return text;
  const head = lines.slice(0, at).join("\n").trimEnd();
  if (head.trim() !== "") return head;
  const exception = lines.slice(at + 1).find((line) => /^\S/.test(line) && !TRACEBACK_LINE.test(line));
  return exception?.trim() ?? "";
}

/** Whether a text body is an HTML page (a proxy's or load balancer's error page, typically). */
function isHtml(text: string, contentType: string | undefined): boolean {
  return /\bhtml\b/i.test(contentType ?? "") || /^\s*<(?:!doctype\s+html|html|head|body)\b/i.test(text);
}

/** The readable text of an HTML page: its `<title>`, else its text without tags, scripts and styles. */
function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = (title ?? html)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
      const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
      if (e[0] !== "#") return named[e.toLowerCase()] ?? "";
      const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    })
    .replace(/\s+/g, " ")
    .trim();
  return text === "" ? "(no text)" : text;
}

/** `{'type': 'missing', 'loc': ('query', 'task_ids'), 'msg': 'Field required', ...}` -> `query.task_ids: Field required`. */
function describeCheck(line: string): string {
  const loc = /'loc': \(([^)]*)\)/.exec(line)?.[1];
  const msg = /'msg': (?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/.exec(line);
  if (!msg) return line;
  const text = (msg[1] ?? msg[2] ?? "").replace(/\\(.)/g, "$1");
  const where = (loc ?? "")
    .split(",")
    .map((part) => part.trim().replace(/^'(.*)'$|^"(.*)"$/, "$1$2"))
    .filter((part) => part !== "")
    .join(".");
  return where ? `${where}: ${text}` : text;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
