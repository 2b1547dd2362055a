import { z } from "zod";
import { getDb } from "../../db/client.server";
import { loadSynonyms, storeSynonyms } from "../../search/postgres";
import { recordAudit } from "./audit.server";
import { getSearchIndex } from "./search.server";

/** "cancel, terminate, close account" per line → groups of at least two distinct terms. */
export const SynonymsSchema = z.object({
  groups: z
    .string()
    .max(20_000, "Keep the list under 20,000 characters")
    .transform((text, ctx) => {
      const groups: string[][] = [];
      for (const [i, line] of text.split(/\r?\n/).entries()) {
        if (!line.trim()) continue;
        const terms = [...new Set(line.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean))];
        if (terms.length < 2) {
          ctx.addIssue({ code: "custom", message: `Line ${i + 1} needs at least two words or phrases separated by commas.` });
          return z.NEVER;
        }
        if (terms.some((t) => t.length > 60)) {
          ctx.addIssue({ code: "custom", message: `Line ${i + 1} has a term longer than 60 characters.` });
          return z.NEVER;
        }
        groups.push(terms);
      }
      return groups;
    }),
});

export function listSynonymGroups(): Promise<string[][]> {
  return loadSynonyms(getDb());
}

/** Replaces the synonym groups and configures the engine with them (both engines use them). */
export async function saveSynonymGroups(groups: string[][], actorId: string): Promise<void> {
  const index = getSearchIndex();
  if (index.engine === "postgres") await index.setSynonyms(groups);
  else {
    await storeSynonyms(getDb(), groups);
    await index.setSynonyms(groups);
  }
  await recordAudit(getDb(), { actorId, action: "search.synonyms", subjectType: "search", subjectId: "synonyms", data: { groups: groups.length } });
}
