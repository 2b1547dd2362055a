import { z } from "zod";
import { recordUse } from "../app/models/agent.server";
import type { Db } from "../db/client.server";
import { users } from "../db/schema";

/**
 * `search:eval --usage usage.jsonl`: replays a log of agents' uses through recordUse — the code
 * path of "Used in reply" on the search page, the panel and the API — so learned phrasings are
 * measured the way they work in production (threshold, distinct agents, outbox). One line:
 * `{"query": "...", "used": "<corpus id>", "agent": "...", "conversation": "..."}`. Each agent
 * name becomes an agent account; the caller drains the outbox afterwards.
 */
export const UsageLine = z.object({
  query: z.string().min(1),
  used: z.union([z.string(), z.number()]).transform(String),
  agent: z.string().min(1).max(200),
  conversation: z.string().max(200).optional(),
});
export type UsageLine = z.output<typeof UsageLine>;

export function parseUsage(lines: string[], file = "usage"): UsageLine[] {
  return lines
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.trim())
    .map(({ l, i }) => {
      try {
        return UsageLine.parse(JSON.parse(l));
      } catch (error) {
        throw new Error(`${file} line ${i + 1}: ${(error as Error).message.split("\n")[0]}`);
      }
    });
}

export async function replayUsage(
  db: Db,
  usage: UsageLine[],
  answerOf: (corpusId: string) => string | undefined,
  options: { start?: Date } = {},
): Promise<{ recorded: number; repeated: number; unknown: number; agents: number }> {
  const agentIds = new Map<string, string>();
  for (const name of new Set(usage.map((u) => u.agent))) {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60) || "agent";
    const [row] = await db
      .insert(users)
      .values({ email: `${slug}-${agentIds.size}@usage.vetted.local`, displayName: `Agent ${name}`.slice(0, 120), roles: ["agent"], passwordHash: null })
      .returning({ id: users.id });
    agentIds.set(name, row!.id);
  }
  // One minute apart, in log order: the log is a history, and "last seen" follows it.
  const t0 = (options.start ?? new Date()).getTime() - usage.length * 60_000;
  let recorded = 0;
  let repeated = 0;
  let unknown = 0;
  for (const [i, u] of usage.entries()) {
    const answerId = answerOf(u.used);
    if (!answerId) {
      unknown++;
      continue;
    }
    const result = await recordUse(
      { answerId, kind: "used", userId: agentIds.get(u.agent)!, conversation: u.conversation ?? null, searchQuery: u.query, at: new Date(t0 + i * 60_000) },
      db,
    );
    if (result.repeated) repeated++;
    else recorded++;
  }
  return { recorded, repeated, unknown, agents: agentIds.size };
}
