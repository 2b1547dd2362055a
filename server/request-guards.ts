import type express from "express";
import { apiError } from "./api";

/**
 * The cheap checks every request passes before anything reads its body or touches the
 * database: a readable address, and a body no larger than its kind of route needs. A 50 MB post to
 * a public page is refused from its headers, before a byte of it is parsed.
 */

const KB = 1024;
/** Per kind of route: the most a legitimate form of that kind can send. */
export const BODY_LIMITS = {
  /** Anonymous pages: sign-in, invitations, the public FAQ's feedback form. */
  public: 16 * KB,
  /** The rich-text editors (answers, wiki, blog, forum): a long document with tables. */
  editor: 2 * 1024 * KB,
  /** Every other form of the signed-in app. */
  form: 256 * KB,
} as const;

const EDITOR = /^\/(answers\/new|answers\/[^/]+\/edit|wiki\/new|wiki\/[^/]+\/edit|blog\/new|blog\/[^/]+\/edit|forum\/new|forum\/[^/]+\/edit|forum\/[^/]+)\/?$/;
const PUBLIC = /^\/(login|invite\/[^/]*|forgot-password|reset-password\/[^/]*|unsubscribe|faq(\/.*)?)\/?$/;

export function bodyLimitFor(pathname: string): number {
  if (PUBLIC.test(pathname)) return BODY_LIMITS.public;
  if (EDITOR.test(pathname)) return BODY_LIMITS.editor;
  return BODY_LIMITS.form;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function refuse(req: express.Request, res: express.Response, status: number, message: string): void {
  // The body is never read: close the connection so the client stops sending it.
  res.setHeader("Connection", "close");
  if (req.path.startsWith("/api/")) {
    const reply = apiError(status, status === 413 ? "too_large" : "bad_request", message);
    res.status(status).set(reply.headers ?? {}).type("application/json").send(JSON.stringify(reply.body));
  } else {
    res.status(status).type("text/plain; charset=utf-8").send(message);
  }
}

/** A percent-escape that does not decode, or a NUL anywhere in the address, is a 400 — never a 500 later. */
export const rejectUnreadableUrl: express.RequestHandler = (req, res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl.replace(/\+/g, " "));
  } catch {
    return refuse(req, res, 400, "This address has a malformed %-escape; check the link.");
  }
  if (decoded.includes("\0")) return refuse(req, res, 400, "This address contains a NUL character, which is never valid here.");
  next();
};

/** Bodies above their route's limit get 413 from their Content-Length, before they are read. */
export const limitBodySize: express.RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method) || req.path.startsWith("/api/")) return next();
  const limit = bodyLimitFor(req.path);
  const length = req.headers["content-length"];
  if (length === undefined) {
    // Browsers always send a length with a form; an open-ended stream is not a form.
    if (req.headers["transfer-encoding"]) return refuse(req, res, 411, "Send the form with a Content-Length.");
    return next();
  }
  if (!/^\d+$/.test(length)) return refuse(req, res, 400, "Content-Length is not a number.");
  if (Number(length) > limit) {
    return refuse(req, res, 413, `This form is too large: at most ${Math.round(limit / KB)} KB may be sent to ${req.path}.`);
  }
  next();
};
