/** Draft or published: a draft is seen by its author only. */
export function BlogStatusField({ status }: { status: "draft" | "published" }) {
  return (
    <fieldset>
      <legend>Status</legend>
      <label className="check">
        <input type="radio" name="status" value="draft" defaultChecked={status === "draft"} /> Draft (only you see it)
      </label>
      <label className="check">
        <input type="radio" name="status" value="published" defaultChecked={status === "published"} /> Published (every colleague sees it)
      </label>
    </fieldset>
  );
}
