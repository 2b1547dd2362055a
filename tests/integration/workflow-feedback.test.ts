import { beforeAll, describe, expect, it } from "vitest";
import { createDraft } from "../../workflows/approval.service";
import { actor, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

/** The text of the element with this id in server-rendered HTML (enough for these small blocks). */
function block(html: string, id: string): string | undefined {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return undefined;
  return html.slice(start, html.indexOf("</div>", start));
}

// Issue 11, defect 1: a refused workflow action used to answer 400 with nothing on the page.
describe("refused workflow actions say why, beside the button, without JavaScript", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  const author = new TestClient();
  beforeAll(async () => {
    cast = await workflowCast(db());
    await author.signIn(cast.author.email, TEST_PASSWORD);
  });

  it("lists what an incomplete draft still needs before it can be submitted", async () => {
    const { answerId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [], shortAnswer: "" }) });
    const { html } = await author.page(`/answers/${answerId}`);
    const missing = block(html, "missing-for-review");
    expect(missing).toContain("Choose the answer&#x27;s topic before submitting it.");
    expect(missing).toContain("Write the short answer before submitting it.");
    expect(missing).not.toContain("Write the full answer");
    expect(missing).toContain(`href="/answers/${answerId}/edit"`);
  });

  it("shows every reason for a refused submit next to the Submit button", async () => {
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [], shortAnswer: "" }) });
    await author.page(`/answers/${answerId}`);
    const res = await author.post(`/answers/${answerId}`, { intent: "SUBMIT", versionId, revision: "1" });
    expect(res.status).toBe(400);
    const html = await res.text();
    const refusal = block(html, "refusal-SUBMIT");
    expect(refusal).toContain('role="alert"');
    expect(refusal).toContain("Choose the answer&#x27;s topic before submitting it.");
    expect(refusal).toContain("Write the short answer before submitting it.");
    // Beside its button: the refusal sits in the Submit form, which names it for screen readers.
    expect(html).toMatch(/<button[^>]*value="SUBMIT"[^>]*aria-describedby="refusal-SUBMIT/);
    expect(html.indexOf('value="SUBMIT"')).toBeLessThan(html.indexOf('id="refusal-SUBMIT"'));
  });

  it("shows a complete draft no list of missing things", async () => {
    const { answerId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    const { html } = await author.page(`/answers/${answerId}`);
    expect(html).not.toContain('id="missing-for-review"');
    expect(html).toContain('value="SUBMIT"');
  });

  it("shows a stale decision's reason beside the button that was pressed", async () => {
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await author.page(`/answers/${answerId}`);
    const res = await author.post(`/answers/${answerId}`, { intent: "SUBMIT", versionId, revision: "7" });
    expect(res.status).toBe(409);
    expect(block(await res.text(), "refusal-SUBMIT")).toMatch(/changed|someone|reload/i);
  });
});
