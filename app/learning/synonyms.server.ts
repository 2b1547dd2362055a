import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { listSynonymGroups, saveSynonymGroups } from "../models/synonyms.server";
import { DomainError } from "../utils/errors";
import { learningSettings } from "./learn.server";

/**
 * Synonym suggestions from the same evidence as learned phrasings: when agents who searched
 * with a word (*terminate*) kept using answers whose question says another (*cancel*) and never
 * the first, the two are likely interchangeable. A pair is suggested when it was seen on at least
 * two distinct phrasings taught by at least LEARNING_MIN_AGENTS agents in all, and in most of the
 * phrasings where the searched word was missing from the answer. Words are compared by a crude
 * stem (first letters after common endings are cut), shown as the most common spelling.
 */

const STOP = new Set(
  "a an and are as at be by can could do does did for from get got have has how i if in into is it its me my of on or our please so that the their them then there this to up us was we what when where which who why will with would you your yes no not any some about after before just than too very want need".split(" "),
);

const stem = (w: string) => w.replace(/(ations?|ing|ed|es|s|ion|ions|ment|ly)$/u, "").slice(0, 6);
const words = (text: string) => [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w)))];

export interface SynonymSuggestion {
  searched: string;
  answered: string;
  phrasings: number;
  agents: number;
  examples: string[];
}

export async function synonymSuggestions(options: { limit?: number } = {}, db: DbOrTx = getDb()): Promise<SynonymSuggestion[]> {
  const { minAgents } = learningSettings();
  const rows = rowsOf<{ phrasing: string; agents: number; question: string; alternatives: string[] }>(
    await db.execute(sql`
      select p.phrasing, p.agents, v.question, v.alternatives
      from learned_phrasings p join answers a on a.id = p.answer_id join answer_versions v on v.id = a.live_version_id
      where p.status <> 'rejected' and p.agents >= 1
      order by p.last_seen_at desc limit 5000`),
  );
  const groups = await listSynonymGroups();
  const grouped = new Set(groups.flatMap((g) => g.map((t) => t.toLowerCase())));
  const spelling = new Map<string, Map<string, number>>();
  const note = (w: string) => {
    const s = stem(w);
    const m = spelling.get(s) ?? new Map<string, number>();
    m.set(w, (m.get(w) ?? 0) + 1);
    spelling.set(s, m);
    return s;
  };
  const missing = new Map<string, number>();
  const pairs = new Map<string, { phrasings: number; agents: number; examples: string[] }>();
  for (const r of rows) {
    const answerStems = new Set(words([r.question, ...r.alternatives].join(" ")).map(note));
    const searched = new Set(words(r.phrasing).map(note));
    const onlySearched = [...searched].filter((s) => !answerStems.has(s));
    const onlyAnswer = [...answerStems].filter((s) => !searched.has(s));
    for (const q of onlySearched) {
      missing.set(q, (missing.get(q) ?? 0) + 1);
      for (const a of onlyAnswer) {
        const key = `${q}\u0000${a}`;
        const p = pairs.get(key) ?? { phrasings: 0, agents: 0, examples: [] };
        p.phrasings++;
        p.agents += r.agents;
        if (p.examples.length < 3) p.examples.push(`${r.phrasing} → ${r.question}`);
        pairs.set(key, p);
      }
    }
  }
  const best = (s: string) => [...(spelling.get(s) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? s;
  return [...pairs.entries()]
    .map(([key, p]) => {
      const [q, a] = key.split("\u0000") as [string, string];
      return { q, a, ...p, share: p.phrasings / (missing.get(q) ?? 1) };
    })
    .filter((p) => p.phrasings >= 2 && p.agents >= minAgents && p.share >= 0.5)
    .map((p) => ({ searched: best(p.q), answered: best(p.a), phrasings: p.phrasings, agents: p.agents, examples: p.examples }))
    .filter((s) => !(grouped.has(s.searched) && grouped.has(s.answered)))
    .sort((x, y) => y.phrasings - x.phrasings || y.agents - x.agents || (x.searched + x.answered < y.searched + y.answered ? -1 : 1))
    .slice(0, options.limit ?? 20);
}

export const AddSuggestionSchema = z.object({
  intent: z.literal("add-suggestion"),
  searched: z.string().trim().toLowerCase().min(2, "A word is missing").max(60, "Words are at most 60 characters"),
  answered: z.string().trim().toLowerCase().min(2, "A word is missing").max(60, "Words are at most 60 characters"),
});

/** Adds a suggested pair through the synonyms model: into the group that holds one of them, or as a new group. */
export async function addSuggestedSynonym(input: { searched: string; answered: string }, actorId: string): Promise<string[][]> {
  if (input.searched === input.answered) throw new DomainError("bad_request", "Choose two different words.", { field: "searched" });
  const groups = (await listSynonymGroups()).map((g) => [...g]);
  const home = groups.find((g) => g.includes(input.searched) || g.includes(input.answered));
  if (home) for (const w of [input.searched, input.answered]) if (!home.includes(w)) home.push(w);
  if (!home) groups.push([input.answered, input.searched]);
  await saveSynonymGroups(groups, actorId);
  return groups;
}
