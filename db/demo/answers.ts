import { eq, inArray } from "drizzle-orm";
import { documentFromHtml, documentFromPlainText } from "../../app/editor/document.server";
import type { Role } from "../../app/auth/policy";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import type { Db } from "../client.server";
import { answers, expertise, topics, users } from "../schema";

interface DemoAnswer {
  key: string;
  topic: string;
  question: string;
  alternatives: string[];
  shortAnswer: string;
  /** Plain paragraphs, or (bodyHtml) rich text with links, lists and tables as authors write them. */
  body: string;
  bodyHtml?: string;
  tags: string[];
  audience: "public" | "internal";
  /** How far through the workflow the demo takes it. */
  stage: "certified" | "in_review" | "draft";
}

export const DEMO_ANSWERS: DemoAnswer[] = [
  {
    key: "refund-time",
    topic: "billing",
    question: "How long does a refund take?",
    alternatives: ["When do I get my money back?", "refund not received yet", "how many days for a refund"],
    shortAnswer: "Refunds reach your card within 5 working days after we receive the return. Your bank may take 2–3 more days to show it.",
    body: "We refund to the card or account you paid with as soon as the returned item reaches our warehouse.\n\nThe refund leaves us within 5 working days. Most banks show it within 2–3 further days; some take up to 10.\n\nIf it has been longer, send us the order number and we will trace the payment.",
    tags: ["refunds", "payments"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "update-card",
    topic: "billing",
    question: "How do I change the card I pay with?",
    alternatives: ["update payment method", "new credit card", "card expired"],
    shortAnswer: "Go to Account → Billing → Payment method, choose Replace card and enter the new details. The next invoice uses it.",
    body: "Sign in and open Account → Billing → Payment method.\n\nChoose Replace card, enter the new card and confirm with your bank if asked. The old card is removed once the new one is verified.\n\nInvoices already issued are charged to the card on file when they were issued.",
    tags: ["payments", "account"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "invoice-copy",
    topic: "billing",
    question: "Where can I download a copy of my invoice?",
    alternatives: ["invoice pdf", "I need a receipt", "VAT invoice"],
    shortAnswer: "Every invoice is under Account → Billing → Invoices as a PDF. Business customers can add a VAT number there too.",
    body: "Open Account → Billing → Invoices and choose Download next to the invoice.\n\nTo add your company name or VAT number, edit Billing details before the invoice is issued; we cannot change issued invoices, but we can issue a credit note and a corrected invoice on request.",
    tags: ["invoices"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "track-parcel",
    topic: "shipping",
    question: "How do I track my parcel?",
    alternatives: ["where is my order", "tracking number", "package not arrived"],
    shortAnswer: "Use the tracking link in your dispatch email, or Orders → Track in your account. Tracking starts within 24 hours of dispatch.",
    body: "When your order leaves the warehouse we email a tracking link. You can also open Orders in your account and choose Track.\n\nTracking can take up to 24 hours to show the first scan. If it has not moved for 3 working days, contact us and we will open an investigation with the carrier.",
    tags: ["delivery", "tracking"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "lost-parcel",
    topic: "shipping",
    question: "My parcel says delivered but I did not receive it",
    alternatives: ["marked as delivered not received", "parcel stolen", "missing package"],
    shortAnswer: "Check with neighbours and your safe place first. If it is still missing after 48 hours, tell us and we will open a carrier claim.",
    body: "Carriers sometimes mark parcels delivered a little early or leave them with a neighbour or in a safe place.\n\nIf it has not turned up after 48 hours, contact us with the order number. We open a claim with the carrier and send a replacement or refund once the claim is accepted (usually within 5 working days).",
    tags: ["delivery", "claims"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "close-account",
    topic: "accounts",
    question: "How do I close my account?",
    alternatives: ["delete my account", "cancel my membership", "terminate account"],
    shortAnswer: "Go to Account → Privacy → Close account. Open orders must be finished first; we keep invoices for 7 years as the law requires.",
    body: "Open Account → Privacy → Close account and confirm with your password.\n\nAny open orders or subscriptions must be completed or cancelled first. Your personal data is deleted within 30 days; invoices are kept for 7 years because tax law requires it.",
    tags: ["account", "privacy"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "reset-password",
    topic: "accounts",
    question: "I forgot my password",
    alternatives: ["reset password", "cant log in", "password reset email not received"],
    shortAnswer: "Choose “Forgot password” on the sign-in page; the reset link arrives within minutes and works for 1 hour. Check spam too.",
    body: "On the sign-in page choose Forgot password and enter your email. The link we send works for 1 hour.\n\nNo email after 10 minutes? Check the spam folder, then make sure you used the address you signed up with.",
    tags: ["account", "sign-in"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "router-reset",
    topic: "devices",
    question: "How do I factory reset the router?",
    alternatives: ["router reset button", "restore router settings", "wifi not working reset"],
    shortAnswer: "Hold the recessed Reset button for 10 seconds until the lights flash, then wait 3 minutes. Wi-Fi name and password return to the label.",
    body: "Press and hold the recessed Reset button on the back for 10 seconds, until all lights flash.\n\nThe router restarts within 3 minutes with the Wi-Fi name and password printed on its label. Any custom settings are lost.",
    tags: ["router", "wifi"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "escalation-policy",
    topic: "billing",
    question: "When may an agent issue a goodwill credit?",
    alternatives: ["goodwill gesture", "compensation for delay", "credit note approval limit"],
    shortAnswer: "Agents may credit up to €20 per case for our mistakes; above that a team lead approves. Never for third-party delays.",
    body: "Agents may issue a goodwill credit of up to €20 per case when the problem was our fault (late dispatch, wrong item, billing error).\n\nAbove €20, or for repeat credits to the same customer within 90 days, ask a team lead. Carrier delays outside our control do not qualify.",
    tags: ["credits", "policy"],
    audience: "internal",
    stage: "certified",
  },
  {
    key: "phone-esim",
    topic: "devices",
    question: "Does the phone support eSIM?",
    alternatives: ["esim activation", "dual sim"],
    shortAnswer: "Yes: every phone we sell since 2024 supports one eSIM beside the physical SIM. Scan the QR code from your provider in Settings → Mobile.",
    body: "All phones we have sold since 2024 support one eSIM and one physical SIM at the same time.\n\nIn Settings → Mobile → Add eSIM, scan the QR code your provider sent you.",
    tags: ["phone", "esim"],
    audience: "public",
    stage: "in_review",
  },
  {
    key: "delivery-abroad",
    topic: "shipping",
    question: "Do you deliver abroad?",
    alternatives: ["international shipping"],
    shortAnswer: "We deliver to the EU, UK and Switzerland.",
    body: "We deliver to every EU country, the UK and Switzerland. Import duties outside the EU are paid on delivery.",
    tags: ["delivery"],
    audience: "public",
    stage: "draft",
  },
  {
    key: "return-item",
    topic: "shipping",
    question: "How do I return an item?",
    alternatives: ["send something back", "return label", "returns portal"],
    shortAnswer: "Start the return in the returns portal within 30 days of delivery; print the free label and drop the parcel at any carrier point.",
    body: "",
    bodyHtml:
      '<p>Start the return in the <a href="https://returns.example.com/start">returns portal</a> within 30 days of delivery.</p>' +
      "<ol><li>Enter your order number and email address.</li><li>Choose the items and tell us why you return them.</li><li>Print the free label, or show the QR code at the drop-off point.</li></ol>" +
      "<p>Pack the item with:</p><ul><li>all accessories and manuals,</li><li>the original box if you still have it.</li></ul>" +
      '<p>The refund starts when the parcel reaches our warehouse; see <a href="https://help.example.com/refunds">how long a refund takes</a>. Questions? Write to <a href="mailto:returns@example.com">returns@example.com</a>.</p>',
    tags: ["returns", "refunds"],
    audience: "public",
    stage: "certified",
  },
  {
    key: "carrier-times",
    topic: "shipping",
    question: "Which carrier delivers where, and how long does it take?",
    alternatives: ["delivery times by country", "which courier", "shipping time"],
    shortAnswer: "DHL delivers in Germany in 1–2 working days, DPD in Austria and the Benelux in 2–3, UPS to the UK and Switzerland in 3–5.",
    body: "",
    bodyHtml:
      "<p>Orders placed before 14:00 leave the warehouse the same working day. Delivery times from dispatch:</p>" +
      "<table><tbody><tr><th>Country</th><th>Carrier</th><th>Working days</th></tr>" +
      "<tr><td>Germany</td><td>DHL</td><td>1–2</td></tr>" +
      "<tr><td>Austria, Belgium, Netherlands, Luxembourg</td><td>DPD</td><td>2–3</td></tr>" +
      "<tr><td>United Kingdom, Switzerland</td><td>UPS</td><td>3–5 (customs)</td></tr></tbody></table>" +
      '<p>Track every parcel from <a href="https://shop.example.com/orders">Orders</a> in the customer\'s account.</p>',
    tags: ["delivery", "carriers"],
    audience: "internal",
    stage: "certified",
  },
];

function demoBody(a: DemoAnswer) {
  if (!a.bodyHtml) return documentFromPlainText(a.body);
  const parsed = documentFromHtml(a.bodyHtml);
  if (!parsed.ok) throw new Error(`demo answer ${a.key}: ${parsed.message}`);
  return parsed.doc;
}

/** The demo's answers, driven through the real workflow; skipped when already there. */
export async function seedDemoAnswers(db: Db, now = new Date()): Promise<void> {
  const existing = await db
    .select({ externalId: answers.externalId })
    .from(answers)
    .where(inArray(answers.externalId, DEMO_ANSWERS.map((a) => `demo:${a.key}`)));
  const have = new Set(existing.map((e) => e.externalId));
  const people = await db.select({ id: users.id, email: users.email, roles: users.roles }).from(users);
  const person = (email: string) => {
    const p = people.find((u) => u.email === email);
    if (!p) throw new Error(`demo user ${email} is missing`);
    return { id: p.id, roles: p.roles as Role[] };
  };
  const emma = person("emma@example.com");
  const kim = person("kim@example.com");
  const experts = [person("xavier@example.com"), person("priya@example.com")];
  for (const [i, a] of DEMO_ANSWERS.entries()) {
    if (have.has(`demo:${a.key}`)) continue;
    const [topic] = await db.select().from(topics).where(eq(topics.slug, a.topic));
    if (!topic) continue;
    // Spread the demo over the past weeks so queues and dates look lived-in.
    const at = (step: number) => new Date(now.getTime() - (DEMO_ANSWERS.length - i) * 3 * 86_400_000 + step * 3_600_000);
    const { versionId } = await createDraft(db, {
      actor: emma,
      draft: { ...a, body: demoBody(a), topicIds: [topic.id] },
      externalId: `demo:${a.key}`,
      now: at(0),
    });
    if (a.stage === "draft") continue;
    await sendEvent(db, { actor: emma, versionId, revision: 1, event: { type: "SUBMIT" }, now: at(1) });
    if (a.stage === "in_review") continue;
    const reviewers = await db.select({ userId: expertise.userId }).from(expertise).where(eq(expertise.topicId, topic.id));
    const eligible = experts.filter((e) => reviewers.some((r) => r.userId === e.id));
    for (const [n, expert] of eligible.slice(0, topic.requiredApprovals).entries()) {
      await sendEvent(db, { actor: expert, versionId, revision: 1, event: { type: "APPROVE" }, now: at(2 + n) });
    }
    await sendEvent(db, {
      actor: kim,
      versionId,
      revision: 1,
      event: { type: "CERTIFY", ownerId: emma.id, reverifyIntervalDays: topic.reverifyIntervalDays },
      now: at(5),
    });
  }
}
