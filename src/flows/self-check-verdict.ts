import type { Citation } from '../answer/types.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { EligibilityVerdict } from '../programmes/evaluate-eligibility.js';
import type { Programme } from '../programmes/schema.js';

export interface RenderedVerdict {
  text: string;
  /** every clause the verdict relies on, verbatim (checked by tests like the programme data) */
  citations: Citation[];
}

const MARK = { met: '✅', 'not-met': '❌', unanswered: '⚪' } as const;

/** The clause-by-clause verdict, what to do next, and the way into the registration checklist. */
export function renderVerdict(catalog: ProgrammeCatalog, verdict: EligibilityVerdict): RenderedVerdict {
  const p = verdict.programme;
  const citations: Citation[] = verdict.results.map((r) => r.citation);
  const summary = verdict.eligible
    ? '结论：按您的回答，各项条件均已满足。'
    : `结论：目前还不满足全部条件（${verdict.notMet.length} 项不符合，${verdict.unanswered.length} 项未回答）。`;
  const lines = [`【${p.short_name}】自查结果`, summary, ''];
  for (const r of verdict.results) {
    const detail = r.status === 'not-met' ? `要求：${r.required}；您的回答：${r.given}` : r.status === 'met' ? `您的回答：${r.given}` : '未回答';
    lines.push(`${MARK[r.status]} ${r.criterion.label} — ${detail}（${r.citation.article}）`);
    // A related clause the programme data ties to this criterion, quoted with it (no rule of our own).
    const note = r.status === 'not-met' ? r.criterion.unmet_note : undefined;
    if (note) {
      lines.push(`   另见${note.source.article}：“${note.source.quote}”`);
      citations.push(catalog.cite(note.source));
    }
  }
  lines.push('', '下一步：');
  if (verdict.notMet.length > 0) lines.push(`· 先补齐不符合的条件：${verdict.notMet.map((r) => r.criterion.label).join('；')}`);
  const materials = p.materials.map((m) => m.label).join('、');
  lines.push(`· 准备材料：${materials}（${p.materials[0]?.source.article ?? ''}）`);
  citations.push(...p.materials.map((m) => catalog.cite(m.source)));
  for (const step of p.procedure) {
    lines.push(`· ${step.label}：${step.actor}${step.text ? `——${step.text}` : ''}（${step.source.article}）`);
    citations.push(catalog.cite(step.source));
  }
  lines.push(`· 输入 /register 开始填写《${catalog.formFor(p).title}》，自查中的人数等已预先填好。`);
  lines.push(`——条款均出自《${catalog.cite({ doc: p.doc, article: '', quote: '' }).title}》`);
  return { text: lines.join('\n'), citations };
}

/** The verdict for an institution that need not apply at all (第十九条). */
export function renderExemption(catalog: ProgrammeCatalog, outlet: Programme, exemption: { label: string; source: Citation | { doc: string; article: string; quote: string } }): RenderedVerdict {
  const citations: Citation[] = [catalog.cite(exemption.source)];
  const lines = [`【${outlet.short_name}】自查结果`, `结论：${exemption.label}${outlet.exemption_rule ? `属于${outlet.exemption_rule.text}` : `不需要办理${outlet.short_name}`}。`];
  if (outlet.exemption_rule) {
    lines.push(`依据：${outlet.exemption_rule.source.article}“${outlet.exemption_rule.source.quote}”`);
    citations.push(catalog.cite(outlet.exemption_rule.source));
  }
  if (outlet.lapse_rule) {
    lines.push(`另：${outlet.lapse_rule.text}（${outlet.lapse_rule.source.article}）。`);
    citations.push(catalog.cite(outlet.lapse_rule.source));
  }
  lines.push(`——《${catalog.cite({ doc: outlet.doc, article: '', quote: '' }).title}》`);
  return { text: lines.join('\n'), citations };
}
