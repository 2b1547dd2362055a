import type { DbOrTx } from "../../db/client.server";
import { auditLog } from "../../db/schema";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  at?: Date;
}

/** Records an administrative action; call inside the transaction that performs it. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, data: entry.data ?? {}, at: entry.at ?? new Date() });
}
