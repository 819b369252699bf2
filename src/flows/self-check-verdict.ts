import { fill } from '../answer/messages.js';
import type { Citation } from '../answer/types.js';
import { localised, type Lang } from '../core/lang.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { CriterionResult, EligibilityVerdict } from '../programmes/evaluate-eligibility.js';
import type { Criterion, Programme, Source } from '../programmes/schema.js';
import type { DialogueText } from './dialogue-text.js';

export interface RenderedVerdict {
  text: string;
  /** every clause the verdict relies on, verbatim (checked by tests like the programme data) */
  citations: Citation[];
}

const MARK = { met: '✅', 'not-met': '❌', unanswered: '⚪' } as const;

/** What a criterion asks for, in words: 需要具备, 5 名及以上, at least 5, the options that meet it. */
function requirement(c: Criterion, lang: Lang, t: DialogueText): string {
  switch (c.answer.type) {
    case 'boolean':
      return c.answer.expected ? t.verdict_required_yes : t.verdict_required_no;
    case 'number':
      return fill(t.verdict_required_count, { min: c.answer.min, unit: c.answer.unit }).replace(/\s+及/, '及');
    case 'choice':
      return c.answer.options.filter((o) => o.meets).map((o) => localised(o, lang).label).join(t.verdict_or);
  }
}

/** The answer given, in words: 是 / Yes, 3 名 / 3, the option's label. */
function answered(c: Criterion, value: string | number | boolean, lang: Lang, t: DialogueText): string {
  switch (c.answer.type) {
    case 'boolean':
      return value === true || value === '是' ? t.answer_yes : t.answer_no;
    case 'number':
      return `${value} ${lang === 'en' ? '' : c.answer.unit}`.trim();
    case 'choice': {
      const option = c.answer.options.find((o) => o.value === value);
      return option ? localised(option, lang).label : String(value);
    }
  }
}

function detail(r: CriterionResult, lang: Lang, t: DialogueText): string {
  if (r.status === 'unanswered' || r.value === undefined) return t.verdict_unanswered;
  const given = answered(r.criterion, r.value, lang, t);
  return r.status === 'not-met' ? fill(t.verdict_not_met, { required: requirement(r.criterion, lang, t), given }) : fill(t.verdict_met, { given });
}

const titleOf = (catalog: ProgrammeCatalog, doc: string): string => catalog.cite({ doc, article: '', quote: '' }).title;

/** The clause-by-clause verdict, what to do next, and the way into the registration checklist. */
export function renderVerdict(catalog: ProgrammeCatalog, verdict: EligibilityVerdict, lang: Lang, t: DialogueText): RenderedVerdict {
  const p = localised(verdict.programme, lang);
  const cite = (source: Source): Citation => {
    const c = catalog.cite(source);
    citations.push(c);
    return c;
  };
  const citations: Citation[] = verdict.results.map((r) => r.citation);
  const summary = verdict.eligible ? t.verdict_eligible : fill(t.verdict_not_eligible, { notMet: verdict.notMet.length, unanswered: verdict.unanswered.length });
  const lines = [fill(t.verdict_title, { name: p.short_name }), summary, ''];
  for (const r of verdict.results) {
    lines.push(fill(t.verdict_line, { mark: MARK[r.status], label: localised(r.criterion, lang).label, detail: detail(r, lang, t), article: r.citation.article }));
    // A related clause the programme data ties to this criterion, quoted with it (no rule of our own).
    const note = r.status === 'not-met' ? r.criterion.unmet_note : undefined;
    if (note) lines.push(fill(t.verdict_see_also, { article: cite(note.source).article, quote: note.source.quote }));
  }
  lines.push('', t.verdict_next);
  if (verdict.notMet.length > 0) lines.push(fill(t.verdict_fix_first, { items: verdict.notMet.map((r) => localised(r.criterion, lang).label).join(t.list_separator) }));
  const materials = p.materials.map((m) => localised(m, lang).label).join(t.items_separator);
  lines.push(fill(t.verdict_materials, { items: materials, article: p.materials[0]?.source.article ?? '' }));
  p.materials.forEach((m) => cite(m.source));
  for (const step of p.procedure) {
    const s = localised(step, lang);
    lines.push(fill(t.verdict_procedure, { label: s.label, actor: s.actor, text: s.text, article: cite(step.source).article }));
  }
  lines.push(fill(t.verdict_register, { form: localised(catalog.formFor(verdict.programme), lang).title }));
  lines.push(fill(t.verdict_sources, { title: titleOf(catalog, p.doc) }));
  return { text: lines.join('\n'), citations };
}

/** The verdict for an institution that need not apply at all (第十九条). */
export function renderExemption(catalog: ProgrammeCatalog, programme: Programme, exemption: Programme['exemptions'][number], lang: Lang, t: DialogueText): RenderedVerdict {
  const p = localised(programme, lang);
  const citations: Citation[] = [catalog.cite(exemption.source)];
  const label = localised(exemption, lang).label;
  const rule = p.exemption_rule;
  const conclusion = rule ? fill(t.exempt_conclusion, { label, rule: localised(rule, lang).text }) : fill(t.exempt_conclusion_plain, { label, name: p.short_name });
  const lines = [fill(t.verdict_title, { name: p.short_name }), conclusion];
  if (rule) {
    lines.push(fill(t.exempt_basis, { article: rule.source.article, quote: rule.source.quote }));
    citations.push(catalog.cite(rule.source));
  }
  if (p.lapse_rule) {
    lines.push(fill(t.exempt_lapse, { text: localised(p.lapse_rule, lang).text, article: p.lapse_rule.source.article }));
    citations.push(catalog.cite(p.lapse_rule.source));
  }
  lines.push(fill(t.exempt_source, { title: titleOf(catalog, p.doc) }));
  return { text: lines.join('\n'), citations };
}
