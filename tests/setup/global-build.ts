import { buildIfStale } from "../../server/build-if-stale.mjs";
import { chromiumExecutable } from "../support/browser";

/** The browser tests run the built app, as `npm start` does, in a browser found once here. */
export default async function setup() {
  buildIfStale({ quiet: true });
  // Unpacks the packaged Chromium (when there is no system one) once, before workers race for it.
  await chromiumExecutable();
}
