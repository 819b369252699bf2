/** A citation is data: a document id and a locator that resolve to verbatim corpus text. */
export interface Citation {
  doc: string;
  title: string;
  /** locator as a reader writes it: 第五条第（一）项, 二、（五）, 附件 填表说明 三 */
  article: string;
  /** verbatim text of the cited unit (or of the sentence quoted from it) */
  quote: string;
}

export interface Answer {
  answer: string;
  citations: Citation[];
  refused: boolean;
  language: 'zh' | 'en';
  /** 0..1: how well the corpus covers the question (used for refusal) */
  confidence: number;
}
