/** What the public FAQ pages show: public certified content only, never people or comments. */
export interface FaqTopic {
  slug: string;
  name: string;
  description: string;
  count: number;
}

export interface FaqAnswerSummary {
  answerId: string;
  question: string;
  shortAnswer: string;
  topicSlug: string;
  topicName: string;
  slug: string;
  /** YYYY-MM-DD (UTC) of the live version's certification. */
  certifiedOn: string;
}

export interface FaqAnswer extends FaqAnswerSummary {
  /** Safe HTML rendered from the editor schema when the version was saved. */
  bodyHtml: string;
  alternatives: string[];
  /** Plain text of the full answer (structured data). */
  bodyText: string;
}
