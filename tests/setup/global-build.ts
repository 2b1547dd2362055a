import { buildIfStale } from "../../server/build-if-stale.mjs";

/** The browser tests run the built app, as `npm start` does. */
export default function setup() {
  buildIfStale({ quiet: true });
}
