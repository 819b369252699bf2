import type { ConversationContext } from '../core/conversation.js';
import { squashSpaces } from '../core/text.js';
import type { Chunk, DocumentMeta } from '../corpus/types.js';
import { retrieve, type Retrieval } from '../retrieval/hybrid-retriever.js';
import type { SearchIndex } from '../retrieval/search-index.js';
import { isMostlyEnglish } from '../retrieval/text-normalize.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { SelfCheckPrefill } from '../programmes/prefill.js';
import { recogniseInstitution } from '../programmes/recognise-institution.js';
import type { Programme } from '../programmes/schema.js';
import { buildDomainModel, type DomainModel } from '../understanding/domain-model.js';
import { withColloquialNames } from '../understanding/document-names.js';
import { programmeBodies } from '../understanding/rights-procedure.js';
import { askedAsOf } from '../understanding/as-of-date.js';
import { counterparts, notInForce, repealedBy, type Counterparts } from '../understanding/document-standing.js';
import { coveredProvinces, provinceIn, uncoveredProvince } from '../understanding/jurisdiction.js';
import { describesSelf, isSmallTalk, isYesNoQuestion, smallTalkKind, splitQuestions, withoutGreeting } from '../understanding/question-shape.js';
import { resolveQuestion, type ResolvedQuestion } from '../understanding/resolve-question.js';
import { compareStatedCounts, type CountComparison } from './compare-counts.js';
import { polarity } from './polarity.js';
import type { Rephraser } from './llm-rephraser.js';
import { fill, type Messages } from './messages.js';
import { matchChecklistQuestion, renderChecklist } from './structured-answer.js';
import { renderMaterials } from '../programmes/render-checklists.js';
import type { DialogueTexts } from '../flows/dialogue-text.js';
import { coverage, DEFAULT_REFUSAL_THRESHOLD, refusalKind } from './refusal.js';
import { chunksOf, leadOf } from './lead.js';
import { bestSentence, splitSentences } from './select-sentences.js';
import type { Answer, AnswerKind, AnswerTrace, Citation, TracePart } from './types.js';

export interface AnswerServiceOptions {
  /** the current index (a getter, so /reindex can swap it while the bot runs) */
  index: () => SearchIndex;
  messages: Messages;
  /** when given, broad checklist questions are answered from the programme data */
  catalog?: ProgrammeCatalog;
  /** the dialogue wording (materials lists in English); without it English checklist questions go to retrieval */
  checklistTexts?: DialogueTexts;
  /** when given, a plain-language sentence from an LLM is put before the cited clauses */
  rephraser?: Rephraser;
  refusalThreshold?: number;
}

export interface AnswerOptions {
  /** force the answer language (otherwise the question's language decides) */
  language?: 'zh' | 'en';
  /** the previous turn of this conversation, for follow-ups */
  context?: ConversationContext;
  /** the time of this turn (ISO), stored in the context it returns; documents in force then are cited */
  at?: string;
  /** where the asker's institution is, as their profile says (省份, 地址): their region's documents are preferred */
  place?: string;
}

export interface AnswerService {
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
}

/** Secondary passages are shown only when they score at least this share of the best one. */
const SECONDARY_RATIO = 0.75;
/** At most this many questions of one message are answered separately. */
const MAX_PARTS = 3;
/** The refusal text names at most this many documents (a provincial corpus has hundreds). */
const MAX_TITLES_LISTED = 5;

/** One question of a message, with what retrieval found for it. */
interface Part {
  question: string;
  resolved: ResolvedQuestion;
  retrieval: Retrieval;
  confidence: number;
  answered: boolean;
  reason: TracePart['reason'];
  chosen: Chunk[];
  lead: string;
}

/**
 * Question → extractive, cited answer. Small talk gets a short reply; a follow-up is read against
 * the previous turn; each question of a multi-part message is answered with its own clause; the
 * decisive sentence leads, the clause is quoted whole; when the documents do not answer, the reply
 * says whether they regulate the subject but not the detail (not_stated, with the nearest clauses)
 * or do not cover it at all (not_covered), citing nothing.
 */
export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const threshold = options.refusalThreshold ?? DEFAULT_REFUSAL_THRESHOLD;
  const { messages } = options;
  const understanding = memoUnderstanding(options.catalog);
  return {
    async answer(question, answerOptions = {}): Promise<Answer> {
      const index = options.index();
      const language = answerOptions.language ?? (isMostlyEnglish(question) ? 'en' : 'zh');
      if (isSmallTalk(question)) return smallTalk(messages, language, question);
      const u = understanding(index);
      const text = withoutGreeting(question);
      const at = answerOptions.at ?? new Date().toISOString();
      // A broad checklist question is answered from the programme data, in English with its reviewed renderings.
      const english = isMostlyEnglish(text);
      const listLang = language === 'en' && english && options.checklistTexts ? 'en' : language === 'zh' && !english ? 'zh' : undefined;
      const checklist = !answerOptions.context && options.catalog && listLang ? matchChecklistQuestion(text, options.catalog, index.tokenizer, listLang) : undefined;
      if (checklist && options.catalog) {
        const rendered = listLang === 'en' ? renderMaterials(options.catalog, checklist.programme, 'en', options.checklistTexts?.en) : renderChecklist(options.catalog, checklist.kind, checklist.programme);
        const context = { query: text, doc: checklist.programme.doc, articles: rendered.citations.map((c) => c.article), at };
        const trace: AnswerTrace = { threshold, asOf: at.slice(0, 10), programme: checklist.programme.id, topic: checklist.kind, parts: [] };
        return { answer: rendered.text, citations: rendered.citations, refused: false, kind: 'answer', language, confidence: 1, context, trace };
      }
      // The region named in the question, else the asker's; the date asked about, else today's.
      const region = provinceIn(text) ?? (answerOptions.place ? provinceIn(answerOptions.place) : undefined);
      const asked = askedAsOf(text);
      const scope: Scope = { asOf: asked ?? at.slice(0, 10), ...(region ? { region } : {}) };
      const parts = await answerParts(index, u, text, answerOptions.context, threshold, scope);
      const answered = parts.filter((p) => p.answered);
      const context = contextFrom(answered[answered.length - 1] ?? parts[parts.length - 1], at);
      const confidence = Math.max(...parts.map((p) => p.confidence));
      const trace = traceOf(parts, threshold, scope, options.catalog);
      if (answered.length === 0) return { ...refuse(index, messages, language, parts[0]), confidence, trace, ...(context ? { context } : {}) };
      const citations = citationsFor(answered);
      // What the asker says about their institution, read once for both the count lines and the pre-filled check.
      const programme = options.catalog && language === 'zh' ? programmeOf(options.catalog, text, answered[0]) : undefined;
      const comparisons = programme ? compareStatedCounts(text, programme) : [];
      const selfCheck = programme ? prefillFrom(text, programme, comparisons) : undefined;
      const counts = options.catalog ? countLines(messages, options.catalog, comparisons) : [];
      // The offer comes last: the first lines of a phone screen are for the rule.
      const offer = selfCheck ? [messages.zh.check_prefilled] : counts.length > 0 ? [messages.zh.check_offer] : [];
      const summaryOf = (chunk: Chunk, sentence: string): string | undefined => options.catalog?.englishSummary(chunk.locator.doc, chunk.locator.label, sentence);
      const body = [render(messages, language, parts, citations, summaryOf), ...standingNotes(messages[language], u.metas, citations, scope.asOf, asked)].join('\n');
      const extractive: Answer = { answer: [...counts, ...(counts.length > 0 ? [''] : []), body, ...(offer.length > 0 ? ['', ...offer] : [])].join('\n'), citations, refused: false, kind: 'answer', language, confidence, trace, ...(context ? { context } : {}), ...(selfCheck ? { selfCheck } : {}) };
      const plain = await options.rephraser?.rephrase(question, extractive);
      return plain ? { ...extractive, answer: `${plain}\n\n${extractive.answer}` } : extractive;
    },
  };
}

interface Understanding {
  domain: DomainModel;
  /** every document's manifest data (region, dates, repeals) */
  metas: DocumentMeta[];
  provinces: Set<string>;
  /** counterpart documents and their fit for an asker in this region */
  counterparts: (region: string | undefined) => Counterparts;
  /** the documents not in force on a date */
  notInForce: (date: string) => ReadonlySet<string>;
}

/** The domain model is derived once per index (a /reindex brings a new one). */
function memoUnderstanding(catalog: ProgrammeCatalog | undefined): (index: SearchIndex) => Understanding {
  const cache = new WeakMap<SearchIndex, Understanding>();
  return (index) => {
    const known = cache.get(index);
    if (known) return known;
    const domain = buildDomainModel({
      docs: index.docs,
      programmes: (catalog?.programmes ?? []).map((p) => ({ id: p.id, doc: p.doc, keywords: withColloquialNames([...p.keywords, p.short_name, ...(p.en?.keywords ?? [])], index.lexicon.synonyms) })),
      words: (t) => index.tokenizer.words(t),
      tagged: (t) => index.tokenizer.tagged(t),
      documentFrequency: (w) => index.wordIndex.documentFrequency(w),
      bodies: programmeBodies(catalog?.programmes ?? [], (t) => index.tokenizer.words(t)),
      english: index.lexicon.english,
    });
    const metas = index.docs.map((d) => d.meta);
    const made = { domain, metas, provinces: coveredProvinces(index.docs), counterparts: memoBy((region: string | undefined) => counterparts(metas, region)), notInForce: memoBy((date: string) => notInForce(metas, date)) };
    cache.set(index, made);
    return made;
  };
}

/** Which documents apply: the asker's region (preferred) and the date (only documents in force then). */
interface Scope {
  region?: string;
  asOf: string;
}

/**
 * What the reader must know about the documents quoted: the date the answer holds for, when the
 * question asked about another one, and that a document quoted because the question named it has
 * been repealed since.
 */
function standingNotes(m: Messages['zh'], metas: readonly DocumentMeta[], citations: Citation[], asOf: string, asked: string | undefined): string[] {
  const notes = asked ? [fill(m.as_of_note, { date: asked })] : [];
  for (const doc of new Set(citations.map((c) => c.doc))) {
    const by = repealedBy(metas, doc, asOf);
    const title = metas.find((x) => x.id === doc)?.title;
    if (by && title) notes.push(fill(m.repealed_note, { title, by: by.title }));
  }
  return notes.length > 0 ? ['', ...notes] : [];
}

/** A one-argument function remembered by argument (regions and dates asked about are few). */
function memoBy<A, R>(f: (a: A) => R): (a: A) => R {
  const cache = new Map<A, R>();
  return (a) => {
    if (!cache.has(a)) cache.set(a, f(a));
    return cache.get(a) as R;
  };
}

async function answerParts(index: SearchIndex, u: Understanding, text: string, context: ConversationContext | undefined, threshold: number, scope: Scope): Promise<Part[]> {
  const questions = splitQuestions(text).slice(0, MAX_PARTS);
  const parts: Part[] = [];
  for (const [i, question] of questions.entries()) {
    // A later question of one message is read against the first as a follow-up would be: an elliptical
    // one (有没有字数要求) is about the first one's subject, a complete one starts over in its document.
    const first = parts[0];
    const partContext = i === 0 ? context : first ? withoutTopic(contextFrom(first, '')) : undefined;
    const said = new Set(parts.flatMap((p) => splitSentences(p.lead)));
    const part = await answerPart(index, u, { question, context: partContext, said }, threshold, scope);
    parts.push(first && refusedWithFirst(part, first) ? refusedLike(part, first) : part);
  }
  return parts;
}

/** Refused whatever its words: another province's rules, an IP right procedure. */
function isOutside(part: Part): boolean {
  return part.reason === 'other_province' || part.reason === 'rights_procedure';
}

/**
 * A later question of a message about the first one's subject shares its refusal: one about an
 * outside subject (商标续展咋办，要多少钱), or one whose own words name nothing when the first was not
 * answered (Is there a subsidy for…, and how much is it?).
 */
function refusedWithFirst(part: Part, first: Part): boolean {
  if (part.resolved.relation !== 'follow-up') return false;
  return isOutside(first) || (!first.answered && part.retrieval.elliptical);
}

function refusedLike(part: Part, first: Part): Part {
  const reason = isOutside(first) ? first.reason : 'below_threshold';
  return { ...part, answered: false, reason, confidence: Math.min(part.confidence, first.confidence), chosen: [], lead: '' };
}

/** One question of a message, the context it is read in, and the sentences earlier parts led with. */
interface PartAsked {
  question: string;
  context: ConversationContext | undefined;
  said: ReadonlySet<string>;
}

async function answerPart(index: SearchIndex, u: Understanding, { question, context, said }: PartAsked, threshold: number, scope: Scope): Promise<Part> {
  const resolved = resolveQuestion(question, u.domain, context);
  const retrieval = await retrieve(index, resolved.query, 8, {
    documents: resolved.documents,
    ...(resolved.atReference ? { atReference: resolved.atReference } : {}),
    aboutForm: resolved.reference?.kind === 'form-part',
    ...(resolved.relation === 'follow-up' ? { ownWords: resolved.body } : {}),
    ...analogueHint(index, resolved),
    names: resolved.names,
    counterparts: u.counterparts(scope.region),
    excluded: u.notInForce(scope.asOf),
  });
  const top = retrieval.ranked[0];
  // The clause named by number is what was asked for, whatever the words around it.
  const named = top !== undefined && resolved.atReference?.(top.chunk) === true;
  const confidence = named ? 1 : coverage(index, retrieval);
  const otherProvince = uncoveredProvince(question, u.provinces);
  const reason: TracePart['reason'] = !top ? 'no_candidates' : named ? 'named_clause' : confidence < threshold ? 'below_threshold' : otherProvince ? 'other_province' : u.domain.asksRightsProcedure(resolved.body) ? 'rights_procedure' : 'covered';
  const answered = reason === 'named_clause' || reason === 'covered';
  const chosen = answered ? pickPassages(retrieval).map((c, i) => (i === 0 ? withItems(index, c) : c)) : [];
  const lead = chosen[0] ? leadOf(index, chosen[0], retrieval, question, said) : '';
  return { question, resolved, retrieval, confidence, answered, reason, chosen, lead };
}

/**
 * The previous answer's clause (an article with its items, as it was quoted), whose counterpart a
 * follow-up for another document wants.
 */
function analogueHint(index: SearchIndex, resolved: ResolvedQuestion): { analogue?: { doc: string; text: string } } {
  const a = resolved.analogue;
  if (!a) return {};
  const previous = chunksOf(index, a.previous.doc).filter((c) => (c.locator.label === a.previous.label || (c.locator.item !== undefined && c.locator.article === a.previous.label)));
  return previous.length > 0 ? { analogue: { doc: a.doc, text: previous.map((c) => c.text).join('\n') } } : {};
}

/** Longest lead-in plus items quoted together (a whole 第五条 is about 400 characters). */
const MAX_LEAD_IN_QUOTE = 600;

/**
 * An article's lead-in (…应当具备下列条件：) answers nothing by itself: its items do. The lead-in
 * is quoted with the items that follow it in the same article, so the conditions are on screen.
 */
function withItems(index: SearchIndex, chunk: Chunk): Chunk {
  if (chunk.locator.item || !/[：:]\s*$/.test(chunk.text)) return chunk;
  const items = chunksOf(index, chunk.locator.doc).filter((c) => c.locator.article === chunk.locator.article && c.locator.item);
  let text = chunk.text;
  for (const item of items) {
    if ([...text].length + [...item.text].length > MAX_LEAD_IN_QUOTE) break;
    text = `${text}\n${item.text}`;
  }
  return { ...chunk, text };
}

/** How many ranked clauses of each part the trace keeps. */
const TRACE_RANKS = 8;

function traceOf(parts: Part[], threshold: number, scope: Scope, catalog: ProgrammeCatalog | undefined): AnswerTrace {
  const top = leadingChunk(parts.find((p) => p.answered) ?? parts[0]);
  const topic = top && topicOf(top);
  const programme = top ? catalog?.programmes.find((p) => p.doc === top.locator.doc)?.id : undefined;
  return {
    threshold,
    asOf: scope.asOf,
    ...(scope.region ? { region: scope.region } : {}),
    ...(programme ? { programme } : {}),
    ...(topic ? { topic } : {}),
    parts: parts.map((p) => ({
      question: p.question,
      query: p.resolved.query,
      relation: p.resolved.relation,
      documents: [...p.resolved.documents].map(([doc, weight]) => ({ doc, weight })),
      confidence: p.confidence,
      answered: p.answered,
      reason: p.reason,
      ranked: p.retrieval.ranked.slice(0, TRACE_RANKS).map((r) => ({ doc: r.chunk.locator.doc, article: r.chunk.locator.label, score: r.score })),
    })),
  };
}

/** The clause a part is about: the first one quoted, else (refused) the best ranked. */
function leadingChunk(part: Part | undefined): Chunk | undefined {
  return part?.chosen[0] ?? part?.retrieval.ranked[0]?.chunk;
}

/** A clause's topic: its nearest heading. */
function topicOf(chunk: Chunk): string | undefined {
  return chunk.headingPath[chunk.headingPath.length - 1];
}

function withoutTopic(context: ConversationContext | undefined): ConversationContext | undefined {
  if (!context) return undefined;
  const { topic: _topic, ...rest } = context;
  return rest;
}

function contextFrom(part: Part | undefined, at: string): ConversationContext | undefined {
  if (!part) return undefined;
  const top = leadingChunk(part);
  const topic = top && topicOf(top);
  return { query: part.resolved.thread, ...(top ? { doc: top.locator.doc } : {}), ...(topic ? { topic } : {}), articles: part.chosen.map((c) => c.locator.label), at };
}

/** A passage short enough to quote whole even as a secondary citation. */
function isShort(text: string): boolean {
  return text.replace(/\s/g, '').length <= 120;
}

function pickPassages(retrieval: Retrieval): Chunk[] {
  const [first, ...rest] = retrieval.ranked;
  if (!first) return [];
  const out = [first.chunk];
  for (const r of rest) {
    if (out.length >= 3 || r.score < first.score * SECONDARY_RATIO) break;
    if (out.some((c) => c.locator.doc === r.chunk.locator.doc && c.locator.label === r.chunk.locator.label)) continue;
    // An empty form skeleton adds nothing to an answer about the rules themselves.
    if (r.chunk.kind === 'form' && !retrieval.asksAboutForm) continue;
    out.push(r.chunk);
  }
  return out;
}

function citationFor(chunk: Chunk, quote: string): Citation {
  return { doc: chunk.locator.doc, title: chunk.locator.title, article: chunk.locator.label, quote };
}

/** Each answered question's own clause first (quoted whole), then the related ones (their best sentence). */
function citationsFor(parts: Part[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  const add = (chunk: Chunk, quote: string): void => {
    const key = `${chunk.locator.doc}|${chunk.locator.label}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(citationFor(chunk, quote));
  };
  for (const p of parts) if (p.chosen[0]) add(p.chosen[0], p.chosen[0].text);
  for (const p of parts) {
    for (const chunk of p.chosen.slice(1)) add(chunk, isShort(chunk.text) ? chunk.text : bestSentence(chunk.text, [], p.retrieval.kind));
  }
  return out;
}

function render(messages: Messages, language: 'zh' | 'en', parts: Part[], citations: Citation[], summaryOf: (chunk: Chunk, sentence: string) => string | undefined): string {
  const m = language === 'en' ? messages.en : messages.zh;
  const numbered = parts.length > 1;
  const leads: string[] = [];
  parts.forEach((p, i) => {
    const prefix = numbered ? `${i + 1}. ` : '';
    const top = p.chosen[0];
    if (!top) {
      leads.push(`${prefix}${m.part_not_stated}`);
      return;
    }
    const source = { title: top.locator.title, label: top.locator.label };
    const yesNo = isYesNoQuestion(p.question) ? polarity(p.question, p.lead, p.retrieval.contentTerms) : undefined;
    const verdict = yesNo ? `${m.yes_no[yesNo]}${language === 'en' ? ' ' : ''}` : '';
    // English: the reviewed summary of the clause states the fact; the Chinese sentence backs it.
    const summary = language === 'en' ? summaryOf(top, p.lead) : undefined;
    // The Chinese sentence comes before the long document title, so the fact stays on the first screen.
    if (summary) leads.push(`${prefix}${verdict}${summary}`, `“${p.lead}”`, fill(m.source_line, source));
    else if (language === 'en') leads.push(`${prefix}${verdict}${fill(messages.en.lead, source)}`, `“${p.lead}”`);
    else leads.push(`${prefix}${verdict}${p.lead}`, fill(m.source_line, source));
  });
  const out = [...leads];
  const shown = new Set<string>();
  for (const p of parts) {
    const top = p.chosen[0];
    if (!top || shown.has(top.id) || squashSpaces(top.text) === squashSpaces(p.lead)) continue;
    shown.add(top.id);
    out.push('', numbered ? `${m.full_text}《${top.locator.title}》${top.locator.label}` : m.full_text, top.text);
  }
  const others = citations.filter((c) => !parts.some((p) => p.chosen[0] && p.chosen[0].locator.doc === c.doc && p.chosen[0].locator.label === c.article));
  if (others.length > 0) {
    out.push('', m.see_also);
    for (const c of others) out.push(`·《${c.title}》${c.article}：${c.quote}`);
  }
  return out.join('\n');
}

/** The programme a question is about: the one it names, else the one whose document answered it. */
function programmeOf(catalog: ProgrammeCatalog, question: string, part: Part | undefined): Programme | undefined {
  const doc = part?.chosen[0]?.locator.doc;
  return catalog.mentioned(question)[0] ?? catalog.programmes.find((p) => p.doc === doc);
}

/**
 * "我们是XX大学图书馆，有3个专职，能备案网点吗": what the asker says about their institution (kind or
 * exemption, stated counts), to offer the self-check with those steps already answered.
 */
function prefillFrom(question: string, programme: Programme, comparisons: CountComparison[]): SelfCheckPrefill | undefined {
  if (!describesSelf(question)) return undefined;
  const institution = recogniseInstitution(question, programme);
  const counts = Object.fromEntries(comparisons.map((c) => [c.criterion.id, c.given]));
  if (!institution && Object.keys(counts).length === 0) return undefined;
  return { programme: programme.id, ...(institution ? ('kind' in institution ? { kind: institution.kind } : { exemption: institution.exemption }) : {}), counts };
}

/** "我们有3个专职，够吗": the asker's number against the requirement, before the clause. */
function countLines(messages: Messages, catalog: ProgrammeCatalog, comparisons: CountComparison[]): string[] {
  return comparisons.map(({ criterion, given, min, what }) => {
    const cited = catalog.cite(criterion.source);
    const values = { given, what, min, missing: min - given, title: cited.title, article: cited.article };
    return fill(given >= min ? messages.zh.count_meets : messages.zh.count_below, values);
  });
}

function refuse(index: SearchIndex, messages: Messages, language: 'zh' | 'en', part: Part | undefined): Omit<Answer, 'confidence'> {
  const m = language === 'en' ? messages.en : messages.zh;
  // Another province's rules and IP right procedures are outside the corpus whatever its words.
  const outside = !part || part.retrieval.ranked.length === 0 || isOutside(part);
  const kind: AnswerKind = outside ? 'not_covered' : refusalKind(index, part.retrieval);
  if (kind === 'not_stated' && part) {
    const nearest = part.retrieval.ranked.slice(0, 2).map((r) => citationFor(r.chunk, bestSentence(r.chunk.text, [], part.retrieval.kind)));
    const lines = nearest.map((c) => `·《${c.title}》${c.article}：${c.quote}`);
    return { answer: [m.not_stated, ...lines, m.not_stated_tail].join('\n'), citations: [], nearest, refused: true, kind, language };
  }
  // The documents nearest the question first (a corpus of hundreds is named by a few and a count).
  const nearest = new Set([...(part?.retrieval.ranked ?? []).map((r) => r.chunk.locator.doc), ...index.docs.map((d) => d.id)]);
  const titles = new Map(index.docs.map((d) => [d.id, d.title]));
  const listed = [...nearest].slice(0, MAX_TITLES_LISTED).map((id) => `《${titles.get(id) ?? id}》`).join('、');
  const more = index.docs.length > MAX_TITLES_LISTED ? fill(m.more_titles, { count: index.docs.length }) : '';
  return { answer: fill(m.refusal, { titles: `${listed}${more}` }), citations: [], refused: true, kind: 'not_covered', language };
}

function smallTalk(messages: Messages, language: 'zh' | 'en', text: string): Answer {
  const m = language === 'en' ? messages.en : messages.zh;
  const kind = smallTalkKind(text);
  const answer = kind === 'thanks' ? m.smalltalk_thanks : kind === 'bye' ? m.smalltalk_bye : m.smalltalk_greeting;
  return { answer, citations: [], refused: false, kind: 'smalltalk', language, confidence: 1 };
}
