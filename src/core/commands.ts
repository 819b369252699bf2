/** Every command the bot understands, with the ways staff type it (slash, Chinese, no slash). */
export type CommandName = 'start' | 'help' | 'ask' | 'check' | 'register' | 'draft' | 'materials' | 'deadlines' | 'steps' | 'cancel' | 'remind' | 'stats' | 'reindex' | 'lang' | 'forget';

const ALIASES: Record<CommandName, string[]> = {
  start: ['/start', '开始'],
  help: ['/help', '帮助', 'help', '菜单'],
  ask: ['/ask', '提问'],
  check: ['/check', '自查', '资格自查', '资格', '资格检查'],
  register: ['/register', '填表', '登记', '备案表', '登记表'],
  materials: ['/materials', '材料', '材料清单'],
  deadlines: ['/deadlines', '期限', '时间节点', '截止时间'],
  steps: ['/steps', '流程', '步骤', '办理流程'],
  draft: ['/draft', '草稿', '重新生成草稿'],
  cancel: ['/cancel', '取消', '退出', 'cancel'],
  stats: ['/stats'],
  reindex: ['/reindex'],
  lang: ['/lang', '语言'],
  remind: ['/remind', '提醒', '订阅', '退订'],
  forget: ['/forget', '删除我的数据', '删除数据', '忘记我', '确认删除'],
};

/** Commands that show an institution's or a person's data: never run in a group chat. */
export const PRIVATE_COMMANDS: ReadonlySet<CommandName> = new Set(['register', 'draft', 'remind', 'forget']);

const LOOKUP = new Map<string, CommandName>(Object.entries(ALIASES).flatMap(([name, words]) => words.map((w) => [w.toLowerCase(), name as CommandName])));

export interface ParsedCommand {
  name: CommandName | 'unknown';
  word: string;
  args: string;
}

/**
 * Reads a command at the start of a message: `/check`, `/check@MyBot`, `自查`, `提醒 off`.
 * A Chinese command word counts only as the whole message or followed by a space, so a question
 * that merely starts with 材料 or 流程 stays a question. Returns undefined for ordinary text.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  const word = m[1].replace(/@\w+$/, '').toLowerCase();
  const args = (m[2] ?? '').trim();
  const name = LOOKUP.get(word);
  // 退订 is /remind off said in one word; 确认删除 is the answer to /forget's question.
  if (name) return { name, word, args: word === '退订' ? `off ${args}`.trim() : word === '确认删除' ? 'confirm' : args };
  if (word.startsWith('/')) return { name: 'unknown', word, args };
  return undefined;
}

/** "我们能申请吗" style messages: short, about eligibility, nothing more specific. They start the self-check. */
const ELIGIBILITY_INTENT = /^(我们|我|本单位|我单位|咱们)?(单位|机构|学校|图书馆|中心)?(能|可以|能不能|可不可以|够不够|有没有资格)(申请|备案|登记|申报)?(吗|么|不)?[?？。!！]*$|^(我们)?(符合|够)(条件|资格)(吗|么)?[?？]*$/;

/** The same in English: "can we apply?", "are we eligible?", "do we qualify?". */
const ELIGIBILITY_INTENT_EN = /^(can|could|may)\s+(we|i|our\s+(institution|library|university|centre|center|organisation|organization))\s+(apply|file|register)\??$|^(are\s+we|am\s+i)\s+eligible\??$|^(do|does)\s+(we|our\s+\w+)\s+qualify\??$/i;

export function isEligibilityIntent(text: string): boolean {
  return ELIGIBILITY_INTENT.test(text.trim().replace(/\s+/g, '')) || ELIGIBILITY_INTENT_EN.test(text.trim());
}
