import type { PolicyDocument } from '../corpus/types.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import type { DemandReport } from '../storage/report-repository.js';
import type { ConsoleText } from './console-texts.js';
import { barChart } from './charts.js';

/** How the report names things: programmes, criteria and documents by their own names. */
export interface ReportNames {
  programme(id: string | null): string | undefined;
  criterion(programme: string | null, id: string): string;
  docTitle(doc: string): string;
}

/** Names from the programme data and the documents (documents read when asked: a reindex may change them). */
export function reportNames(catalog: ProgrammeCatalog, docs: () => PolicyDocument[]): ReportNames {
  return {
    programme: (id) => (id ? (catalog.byId(id)?.short_name ?? id) : undefined),
    criterion: (programme, id) => catalog.byId(programme ?? '')?.criteria.find((c) => c.id === id)?.label ?? id,
    docTitle: (doc) => docs().find((d) => d.id === doc)?.title ?? doc,
  };
}

export interface ReportSection {
  title: string;
  headers: string[];
  rows: Array<Array<string | number>>;
  /** an SVG chart of the section (page only) */
  chart?: () => string;
}

/**
 * The report as sections of headed rows, in the order an office files them: the one source of
 * the page, the Excel workbook and the Word document, so the three always agree.
 */
export function reportSections(r: DemandReport, t: ConsoleText, names: ReportNames): ReportSection[] {
  const outcomes = [t['answered'] ?? '', t['not_stated'] ?? '', t['not_covered'] ?? ''];
  const programmeName = (id: string | null): string => names.programme(id) ?? t['unknown_programme'] ?? '';
  const pct = (n: number, of: number): string => (of > 0 ? `${Math.round((n / of) * 100)}%` : '—');
  const asked = r.totals.answered + r.totals.notStated + r.totals.notCovered;
  return [
    {
      title: t['questions'] ?? '',
      headers: [t['questions'] ?? '', ...outcomes, t['smalltalk'] ?? ''],
      rows: [[asked, `${r.totals.answered} (${pct(r.totals.answered, asked)})`, `${r.totals.notStated} (${pct(r.totals.notStated, asked)})`, `${r.totals.notCovered} (${pct(r.totals.notCovered, asked)})`, r.totals.smalltalk]],
    },
    {
      title: t['per_week'] ?? '',
      headers: [t['week'] ?? '', ...outcomes],
      rows: r.weeks.map((w) => [w.week, w.answered, w.notStated, w.notCovered]),
      chart: () => barChart(r.weeks.map((w) => w.week.slice(5)), [{ name: outcomes[0] ?? '', data: r.weeks.map((w) => w.answered) }, { name: outcomes[1] ?? '', data: r.weeks.map((w) => w.notStated) }, { name: outcomes[2] ?? '', data: r.weeks.map((w) => w.notCovered) }], { stacked: true }),
    },
    {
      title: t['by_programme'] ?? '',
      headers: [t['programme'] ?? '', ...outcomes],
      rows: r.programmes.map((p) => [programmeName(p.programme), p.answered, p.notStated, p.notCovered]),
      chart: () => barChart(r.programmes.map((p) => programmeName(p.programme)), [{ name: outcomes[0] ?? '', data: r.programmes.map((p) => p.answered) }, { name: t['unanswered'] ?? '', data: r.programmes.map((p) => p.notStated + p.notCovered) }], { stacked: true, horizontal: true, height: 60 + 36 * r.programmes.length }),
    },
    { title: t['by_topic'] ?? '', headers: [t['topic'] ?? '', t['questions'] ?? '', t['unanswered'] ?? ''], rows: r.topics.map((x) => [x.topic ?? t['unknown_topic'] ?? '', x.questions, x.unanswered]) },
    { title: t['top_clauses'] ?? '', headers: [t['clause'] ?? '', t['citations'] ?? ''], rows: r.clauses.map((c) => [`《${names.docTitle(c.doc)}》${c.article}`, c.citations]) },
    {
      title: t['gaps'] ?? '',
      headers: [t['topic'] ?? '', t['outcome'] ?? '', t['count'] ?? '', t['examples'] ?? ''],
      rows: r.gaps.map((g) => [g.topic ?? t['gap_not_covered'] ?? '', g.kind === 'not_stated' ? (t['not_stated'] ?? '') : (t['not_covered'] ?? ''), g.count, g.examples.join(' / ')]),
    },
    {
      title: t['self_checks'] ?? '',
      headers: [t['started'] ?? '', t['finished'] ?? '', t['meets'] ?? '', t['falls_short'] ?? '', t['exempt'] ?? ''],
      rows: [[r.selfChecks.started, r.selfChecks.finished, r.selfChecks.meets, r.selfChecks.fallsShort, r.selfChecks.exempt]],
    },
    {
      title: t['short_on'] ?? '',
      headers: [t['programme'] ?? '', t['criterion'] ?? '', t['count'] ?? ''],
      rows: r.selfChecks.shortOn.map((s) => [programmeName(s.programme), names.criterion(s.programme, s.criterion), s.count]),
      chart: () => barChart(r.selfChecks.shortOn.map((s) => names.criterion(s.programme, s.criterion)), [{ name: t['falls_short'] ?? '', data: r.selfChecks.shortOn.map((s) => s.count) }], { horizontal: true, height: 60 + 30 * r.selfChecks.shortOn.length }),
    },
    { title: t['registrations'] ?? '', headers: [t['started'] ?? '', t['drafts'] ?? ''], rows: [[r.registrations.started, r.registrations.drafts]] },
  ];
}
