import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { renderCriteria, renderDeadlines, renderMaterials, renderSteps, type RenderedChecklist } from '../programmes/render-checklists.js';
import type { Programme } from '../programmes/schema.js';
import type { Tokenizer } from '../retrieval/tokenizer.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

export type ChecklistKind = 'materials' | 'steps' | 'deadlines' | 'criteria';

const INTENTS: Array<[ChecklistKind, RegExp]> = [
  ['materials', /(哪些材料|什么材料|啥材料|材料清单|材料有哪些|交啥|交什么|准备什么|准备啥|哪些资料|需要.{0,4}材料)/],
  ['steps', /(流程|程序|步骤|怎么申请|如何申请|怎么办理|如何办理|怎么备案|如何备案|怎么登记|如何登记)/],
  ['deadlines', /(有哪些期限|哪些期限|时间节点|时间要求|期限有哪些|哪些截止|有什么期限)/],
  ['criteria', /(什么条件|哪些条件|啥条件|申请条件|备案条件|登记条件|资格条件|需要具备|要满足|条件是什么)/],
];

/**
 * The same intents asked in English (What documents do we need to prepare for outlet filing?).
 * Materials only: the other checklists have no reviewed English rendering yet and go to retrieval.
 */
const ENGLISH_INTENTS: Array<[ChecklistKind, RegExp]> = [
  ['materials', /\b(what|which) (documents|materials|papers)\b|\b(documents|materials|papers) (do|does|should|must)\b.{0,40}\b(need|prepare|submit|provide)\b|\bneed to (prepare|submit|provide)\b|\bwhat (do|should|must) (we|i) (prepare|submit|provide)\b|\b(materials|documents) (needed|required)\b/],
];

/** Words that only say "the programme" or "apply": a question with nothing else is a checklist request. */
const GENERIC = new Set(['机构', '国家', '知识产权', '知识', '产权', '信息', '公共服务', '公共', '服务', '申请', '中心', '需要', '整个', '具体', '办法', '指引', '我们', '单位']);

export function renderChecklist(catalog: ProgrammeCatalog, kind: ChecklistKind, p: Programme): RenderedChecklist {
  switch (kind) {
    case 'materials':
      return renderMaterials(catalog, p);
    case 'steps':
      return renderSteps(catalog, p);
    case 'deadlines':
      return renderDeadlines(catalog, p);
    case 'criteria':
      return renderCriteria(catalog, p);
  }
}

/**
 * A broad question about one programme's materials, procedure, deadlines or conditions
 * ("网点备案要交哪些材料？") is answered from the programme data, each line with its clause.
 * A question with anything more specific in it goes to retrieval, which finds the exact clause.
 */
export function matchChecklistQuestion(question: string, catalog: ProgrammeCatalog, tokenizer: Tokenizer, lang: 'zh' | 'en' = 'zh'): { kind: ChecklistKind; programme: Programme } | undefined {
  const q = normalizeForSearch(question);
  const programme = catalog.mentioned(q)[0];
  if (lang === 'en') {
    // English: an intent and a programme, and nothing more specific than "we" and "apply".
    const intent = ENGLISH_INTENTS.find(([, re]) => re.test(q));
    return programme && intent && !/\b(if|whether|when|how many|how long|who|where|deadline|fee|cost)\b/.test(q) ? { kind: intent[0], programme } : undefined;
  }
  const intent = INTENTS.find(([, re]) => re.test(q));
  if (!programme || !intent) return undefined;
  let residue = q.replace(intent[1], ' ');
  for (const k of programme.keywords) residue = residue.split(normalizeForSearch(k)).join(' ');
  const specific = tokenizer.tagged(residue).filter(({ word, tag }) => /^(n|vn|eng|j|nz)/.test(tag) && !GENERIC.has(word));
  return specific.length === 0 ? { kind: intent[0], programme } : undefined;
}
