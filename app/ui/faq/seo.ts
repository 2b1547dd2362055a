import type { Branding } from "../../models/faq.schema";
import type { FaqAnswer, FaqAnswerSummary, FaqTopic } from "./types";
import type { FaqUrls } from "./urls";

/** The head of one FAQ page, whichever way it is written (Remix meta live, JSX in the export). */
export interface FaqHead {
  title: string;
  description: string;
  /** Absolute canonical address. */
  canonical: string;
  ogType: "website" | "article";
  jsonLd?: Record<string, unknown>;
  noindex?: boolean;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function faqPage(items: { question: string; answer: string }[]) {
  return {
    "@context": "https://schema.org",
    "@type": "FAQPage",
    mainEntity: items.map((i) => ({ "@type": "Question", name: i.question, acceptedAnswer: { "@type": "Answer", text: i.answer } })),
  };
}

export function homeHead(branding: Branding, urls: FaqUrls): FaqHead {
  return {
    title: `${branding.companyName} Help`,
    description: `Answers to common questions about ${branding.companyName}, checked by our experts.`,
    canonical: urls.canonical.home,
    ogType: "website",
  };
}

export function topicHead(branding: Branding, urls: FaqUrls, topic: FaqTopic, answers: FaqAnswerSummary[]): FaqHead {
  return {
    title: `${topic.name} · ${branding.companyName} Help`,
    description: clip(topic.description || `Answers about ${topic.name.toLowerCase()} from ${branding.companyName}.`),
    canonical: urls.canonical.topic(topic.slug),
    ogType: "website",
    jsonLd: faqPage(answers.map((a) => ({ question: a.question, answer: a.shortAnswer }))),
  };
}

/**
 * One answer is one question with its accepted answer: FAQPage fits content written by the
 * site itself (QAPage is meant for user forums with several answers).
 */
export function answerHead(branding: Branding, urls: FaqUrls, answer: FaqAnswer): FaqHead {
  const full = answer.bodyText.trim() ? `${answer.shortAnswer}\n\n${answer.bodyText.trim()}` : answer.shortAnswer;
  return {
    title: `${answer.question} · ${branding.companyName} Help`,
    description: clip(answer.shortAnswer),
    canonical: urls.canonical.answer(answer.topicSlug, answer.slug),
    ogType: "article",
    jsonLd: faqPage([{ question: answer.question, answer: full }]),
  };
}

export function searchHead(branding: Branding, urls: FaqUrls): FaqHead {
  return {
    title: `Search · ${branding.companyName} Help`,
    description: `Search the ${branding.companyName} FAQ.`,
    canonical: urls.canonical.search,
    ogType: "website",
    noindex: true,
  };
}

/** JSON for a <script type="application/ld+json">: `<` escaped so no text can close the element. */
export function jsonLdText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** The same head as Remix meta descriptors (live routes). */
export function headToMeta(head: FaqHead, siteName: string) {
  return [
    { title: head.title },
    { name: "description", content: head.description },
    { tagName: "link", rel: "canonical", href: head.canonical },
    { property: "og:type", content: head.ogType },
    { property: "og:title", content: head.title },
    { property: "og:description", content: head.description },
    { property: "og:url", content: head.canonical },
    { property: "og:site_name", content: siteName },
    ...(head.noindex ? [{ name: "robots", content: "noindex" }] : []),
    ...(head.jsonLd ? [{ "script:ld+json": head.jsonLd }] : []),
  ];
}
