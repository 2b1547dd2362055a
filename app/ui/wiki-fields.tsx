import { FieldError } from "./field-error";

/** The wiki's own fields: where the page sits in the tree and what the change was. */
export function WikiExtraFields({
  parents,
  parentId,
  errors,
  excludeId,
}: {
  parents: { id: string; title: string }[];
  parentId: string;
  errors: Record<string, string[]>;
  excludeId?: string;
}) {
  return (
    <>
      <label htmlFor="parentId">Parent page</label>
      <select id="parentId" name="parentId" defaultValue={parentId} aria-describedby="parentId-error">
        <option value="">— none (top level) —</option>
        {parents
          .filter((p) => p.id !== excludeId)
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
      </select>
      <FieldError id="parentId-error" errors={errors.parentId} />
      <p className="muted">Link to another page by writing its title in double brackets: [[Refund policy]].</p>
      <label htmlFor="summary">What did you change? (optional)</label>
      <input id="summary" name="summary" maxLength={300} autoComplete="off" />
      <FieldError id="summary-error" errors={errors.summary} />
    </>
  );
}
