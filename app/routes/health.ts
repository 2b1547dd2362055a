import { checkHealth } from "../models/health.server";

/** Liveness and readiness for load balancers: 200 when the database answers, else 503. */
export async function loader() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
