import { addMonths, addYears, isoDate, parseIsoDate, type IsoDate } from '../core/dates.js';
import { profilePlace, type InstitutionProfile } from '../core/profile.js';
import { startingDate, type TargetFacts, type Programme, type Source } from '../programmes/schema.js';

/** One dated obligation of one institution. */
export interface DeadlineInstance {
  /** stable id: rule id + due date */
  key: string;
  ruleId: string;
  label: string;
  due: IsoDate;
  prepare?: string;
  source: Source;
  /** the rule's reviewed English label and preparation, when it has them */
  en?: { label?: string | undefined; prepare?: string | undefined };
}

/**
 * Dated obligations from the programme data and the institution's dates, due within [from, to]:
 * - every year's summary (rule {every: year, due: MM-DD}) from the year after filing;
 * - the end of each three-year validity period (rule {years: 3}), assuming renewal (每次续期三年);
 * - the end of a rectification period ({months: 6}) from the notice date;
 * - dated regional targets of the programme (a Guangdong coverage date) when the institution is
 *   in that region, as its province, address or recommending department says. National targets
 *   are goals of the system, not obligations of one institution, so they are not nudged.
 * Pure: the same inputs always give the same list, sorted by date.
 */
export function deadlinesFor(programme: Programme, profile: InstitutionProfile, targets: TargetFacts[], from: IsoDate, to: IsoDate): DeadlineInstance[] {
  const out: DeadlineInstance[] = [];
  const startId = startingDate(programme).id;
  const start = profile.dates[startId];
  const within = (d: IsoDate): boolean => d >= from && d <= to;
  for (const rule of programme.deadlines) {
    const base = { ruleId: rule.id, label: rule.label, source: rule.source, ...(rule.prepare ? { prepare: rule.prepare } : {}), ...(rule.en ? { en: rule.en } : {}) };
    const r = rule.rule;
    // Each rule counts from its own date (a rectification notice) or the programme's starting date.
    const counted = profile.dates[rule.from ?? startId];
    if (rule.kind === 'annual' && 'every' in r && r.due && start) {
      const [mm, dd] = r.due.split('-').map(Number);
      for (let y = Math.max(parseIsoDate(start).year + 1, parseIsoDate(from).year); y <= parseIsoDate(to).year; y++) {
        const due = isoDate(y, mm ?? 1, dd ?? 1);
        if (within(due)) out.push({ ...base, key: `${rule.id}:${due}`, due });
      }
    } else if (rule.kind === 'validity' && 'years' in r && counted) {
      for (let k = 1; k <= 50; k++) {
        const due = addYears(counted, r.years * k);
        if (due > to) break;
        if (within(due)) out.push({ ...base, key: `${rule.id}:${due}`, due });
      }
    } else if (rule.kind === 'rectification' && 'months' in r && counted) {
      const due = addMonths(counted, r.months);
      if (within(due)) out.push({ ...base, key: `${rule.id}:${due}`, due });
    }
  }
  const region = profilePlace(profile);
  for (const fact of targets.flatMap((t) => t.facts)) {
    if (fact.date && fact.region && region.includes(fact.region) && fact.applies_to.includes(programme.id) && within(fact.date)) {
      out.push({ key: `${fact.id}:${fact.date}`, ruleId: fact.id, label: fact.label, due: fact.date, source: fact.source });
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.key.localeCompare(b.key)));
}

