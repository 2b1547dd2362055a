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
