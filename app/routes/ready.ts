import { checkReady } from "../models/health.server";

/** Readiness for load balancers and orchestrators: 200 when this instance should get traffic, else 503 with reasons. */
export async function loader() {
  const ready = await checkReady();
  return Response.json(ready, { status: ready.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
