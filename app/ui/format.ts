import { format, formatDistanceStrict } from "date-fns";

/** Dates arrive as Date on the server and as ISO strings after serialisation. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return format(new Date(d), "d MMM yyyy");
}

export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return format(new Date(d), "d MMM yyyy, HH:mm");
}

/** "3 days", for queue ages; `now` is passed so renders are deterministic. */
export function age(d: Date | string, now: Date | string): string {
  return formatDistanceStrict(new Date(d), new Date(now));
}

/** "14:05": the same 24-hour clock as every date on the page (not the browser's 12-hour default). */
export function formatTime(d: Date | string): string {
  return format(new Date(d), "HH:mm:ss");
}

/** "1 reply", "3 replies": the count with its noun in the right number. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
