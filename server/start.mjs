// `npm start`: builds the app when the build is missing or stale, then runs the server in
// this same process (so its pid is the server's and SIGTERM reaches it directly).
import { buildIfStale } from "./build-if-stale.mjs";

buildIfStale();
process.env.NODE_ENV ??= "production";
const { register } = await import("tsx/esm/api");
register();
await import("./main.ts");
