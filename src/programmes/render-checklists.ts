import { fill } from '../answer/messages.js';
import type { Citation } from '../answer/types.js';
import { localised, type Lang } from '../core/lang.js';
import type { DialogueText } from '../flows/dialogue-text.js';
import type { ProgrammeCatalog } from './catalog.js';
import type { DeadlineRule, Programme, Source } from './schema.js';

export interface RenderedChecklist {
  text: string;
  citations: Citation[];
}

/** Builds text and citations together, so every line the user reads carries its clause. */
class ChecklistBuilder {
  private lines: string[] = [];
  private citations: Citation[] = [];
  /** Clauses of the programme's own document are cited by locator only; the title goes in the footer. */
  constructor(
    private readonly catalog: ProgrammeCatalog,
    private readonly homeDoc: string,
    /** how a cited line ends ({ref}: the locator) */
    private readonly citeAs = '（{ref}）',
  ) {}

  line(text: string): this {
    this.lines.push(text);
    return this;
  }

  cited(text: string, source: Source): this {
    this.lines.push(`${text}${fill(this.citeAs, { ref: this.ref(source) })}`);
    return this;
  }

  ref(source: Source): string {
    const c = this.catalog.cite(source);
    if (!this.citations.some((x) => x.doc === c.doc && x.article === c.article && x.quote === c.quote)) this.citations.push(c);
    return c.doc === this.homeDoc ? c.article : `《${c.title}》${c.article}`;
  }

  /** `footer`: the closing line's template ({title}: the document's title) */
  build(footer = '——条款均出自《{title}》（另注明的除外）'): RenderedChecklist {
    const home = this.catalog.cite({ doc: this.homeDoc, article: '', quote: '' }).title;
    return { text: [...this.lines, fill(footer, { title: home })].join('\n'), citations: this.citations };
  }
}

/** 材料清单: what to submit, with the clause for each item (in a dialogue's language and templates when given). */
export function renderMaterials(catalog: ProgrammeCatalog, programme: Programme, lang: Lang = 'zh', t?: DialogueText): RenderedChecklist {
  const p = localised(programme, lang);
  const form = localised(catalog.formFor(programme), lang);
  const b = new ChecklistBuilder(catalog, p.doc, t?.cited).line(t ? fill(t.materials_title, { name: p.short_name }) : `【${p.short_name}】需要准备的材料：`);
  p.materials.forEach((m, i) => b.cited(`${i + 1}. ${localised(m, lang).label}`, m.source));
  if (p.materials_note) b.cited(t ? fill(t.materials_note, { text: localised(p.materials_note, lang).text }) : `注意：${p.materials_note.text}`, p.materials_note.source);
  const edition = localised(form.edition, lang).text;
  b.line(t ? fill(t.materials_form, { form: form.title, edition }) : `表格：《${form.title}》（${edition}），输入 /register 可逐项填写并生成草稿。`);
  return b.build(t?.clauses_from);
}

/** 办理流程: who does what, in order. */
export function renderSteps(catalog: ProgrammeCatalog, p: Programme): RenderedChecklist {
  const b = new ChecklistBuilder(catalog, p.doc).line(`【${p.short_name}】办理流程：`);
  p.procedure.forEach((s, i) => b.cited(`${i + 1}. ${s.label}（${s.actor}）：${s.text}`, s.source));
  return b.build();
}

/** 期限: every duration and recurring deadline, in words and with its clause. */
export function renderDeadlines(catalog: ProgrammeCatalog, p: Programme): RenderedChecklist {
  const b = new ChecklistBuilder(catalog, p.doc).line(`【${p.short_name}】时间要求：`);
  if (p.deadlines.length === 0) b.line('（文件未规定期限）');
  p.deadlines.forEach((d) => b.cited(`· ${d.label}${'every' in d.rule && d.rule.due ? `（${describeRule(d.rule)}）` : ''}`, d.source));
  if (p.change_reporting) b.cited(`· 信息变更：${p.change_reporting.text}`, p.change_reporting.source);
  for (const fact of catalog.data.targets.flatMap((t) => t.facts).filter((f) => f.applies_to.includes(p.id) && f.date)) {
    b.cited(`· 目标：${fact.label}`, fact.source);
  }
  b.line('输入 /remind 可按贵机构的备案日期设置到期提醒。');
  return b.build();
}

/** 申请条件: the criteria and who need not apply. */
export function renderCriteria(catalog: ProgrammeCatalog, p: Programme): RenderedChecklist {
  const b = new ChecklistBuilder(catalog, p.doc).line(`【${p.short_name}】申请条件：`);
  p.criteria.forEach((c, i) => b.cited(`${i + 1}. ${c.label}`, c.source));
  if (p.exemptions.length > 0 && p.exemption_rule) {
    b.cited(`无需申请：${p.exemptions.map((e) => e.label).join('、')}等${p.exemption_rule.text}`, p.exemption_rule.source);
  }
  b.line('输入 /check 可逐条自查是否符合条件。');
  return b.build();
}

export function describeRule(rule: DeadlineRule): string {
  if ('years' in rule) return `${rule.years} 年`;
  if ('months' in rule) return `${rule.months} 个月`;
  if (rule.due) {
    const [m, d] = rule.due.split('-');
    return `每年 ${Number(m)} 月 ${Number(d)} 日前`;
  }
  return '每年';
}
