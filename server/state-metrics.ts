import { getSearchIndex, searchIndexVersion, searchLag } from "../app/models/search.server";
import { getDb } from "../db/client.server";
import { mailQueueHealth } from "../app/notifications/mail-queue.server";
import { registerGauge } from "./metrics";

/** Gauges of state kept elsewhere, read at each scrape (one query each for the outbox and the mail queue, memory for the copy). */
export function registerStateMetrics(): void {
  let lag: Promise<{ pending: number; oldestSeconds: number; failing: number }> | null = null;
  // One outbox query per scrape, shared by its three gauges.
  const readLag = () => (lag ??= searchLag().finally(() => setTimeout(() => (lag = null), 100)));
  registerGauge("vetted_search_outbox_pending", "Search index updates not yet applied", async () => (await readLag()).pending);
  registerGauge("vetted_search_outbox_lag_seconds", "Age of the oldest search index update not yet applied", async () => (await readLag()).oldestSeconds);
  registerGauge("vetted_search_outbox_failing", "Search index updates that failed at least once", async () => (await readLag()).failing);
  let mail: ReturnType<typeof mailQueueHealth> | null = null;
  const readMail = () => (mail ??= mailQueueHealth(getDb()).finally(() => setTimeout(() => (mail = null), 100)));
  registerGauge("vetted_mail_queue_pending", "Immediate mail waiting to be sent", async () => (await readMail()).pending);
  registerGauge("vetted_mail_queue_oldest_seconds", "Age of the oldest immediate mail waiting", async () => (await readMail()).oldestSeconds);
  registerGauge("vetted_mail_queue_failing", "Mail whose last attempt failed (the SMTP server refused or was down)", async () => (await readMail()).failing);
  const copy = () => getSearchIndex().residentCopy?.() ?? null;
  registerGauge("vetted_search_resident_loaded", "1 when this instance's search copy is loaded", () => (copy() ? (copy()!.loaded ? 1 : 0) : null));
  registerGauge("vetted_search_resident_documents", "Answers in this instance's search copy", () => copy()?.documents ?? null);
  registerGauge("vetted_search_resident_age_seconds", "Seconds since this instance's search copy was loaded whole", () => {
    const at = copy()?.loadedAt;
    return at ? (Date.now() - at) / 1000 : null;
  });
  registerGauge("vetted_search_resident_prepared", "1 when this instance's search copy has sorted its long posting lists (first searches after a load are slower until then)", () =>
    copy() ? (copy()!.preparedAt ? 1 : 0) : null,
  );
  // Compare with vetted_search_index_version: the copy is current when the two agree.
  registerGauge("vetted_search_resident_version", "Index version this instance's search copy has caught up to", () => copy()?.version ?? null);
  registerGauge("vetted_search_index_version", "Index version committed in the database", () => (copy() ? searchIndexVersion() : null));
}
