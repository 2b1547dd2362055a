let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const PRODUCTS = ["router", "phone", "tablet", "smartwatch", "earbuds", "tv box", "sim card", "laptop", "printer", "camera", "thermostat", "speaker", "broadband", "mobile plan", "controller", "modem", "charger", "headset", "monitor", "keyboard"];
const INTENTS = ["factory reset", "return", "warranty claim", "refund", "delivery tracking", "setup", "battery drain", "bluetooth pairing", "cracked screen", "software update", "cancel subscription", "early upgrade", "invoice charges", "failed payment", "password reset", "roaming abroad", "strange noise", "overheating", "lost insurance claim", "data transfer"];
const WORDS = "account billing order parcel courier label warehouse technician appointment engineer signal coverage outage voucher discount loyalty contract deposit instalment exchange replacement diagnostics firmware app settings profile family sharing parental controls storage backup cloud email".split(" ");

export function answerLine(i: number): string {
  const product = `${pick(PRODUCTS)} ${pick(["", "pro", "mini", "max", "lite", "plus"])} ${1 + (i % 50)}`.replace(/\s+/g, " ").trim();
  const intent = pick(INTENTS);
  const extra = Array.from({ length: 30 }, () => pick(WORDS)).join(" ");
  return JSON.stringify({
    id: `bench-${i}`,
    question: `How does ${intent} work for the ${product}?`,
    alternatives: [`${product} ${intent}`, `${intent} help ${pick(WORDS)}`],
    short_answer: `For the ${product}, ${intent} takes a few steps in the app; see the full answer.`,
    answer: `About ${intent} on the ${product}. ${extra}. Contact support if the ${pick(WORDS)} does not help.`,
    topic: pick(["Devices", "Billing", "Shipping", "Accounts"]),
    tags: [intent.split(" ")[0]!],
    audience: rand() < 0.5 ? "public" : "internal",
  });
}

export const QUERIES = [
  ...INTENTS.map((i) => `${pick(PRODUCTS)} ${i}`),
  "how do i reset my router",
  "refnd not recieved for my phone",
  "hi im really annoyed my laptop battery dies after two hours and the warranty claim i sent last week got no answer what do i do now pls",
  "cancel subscripton",
  "overheat",
  "tracking courier parcel late",
  "password",
  "roaming charges abroad holiday",
];

