/** The message under a field (or a form), announced to screen readers. */
export function FieldError({ id, errors, role }: { id: string; errors?: string[] | undefined; role?: "alert" }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p id={id} className="field-error" role={role}>
      {errors.join(" ")}
    </p>
  );
}
