import { isMostlyEnglish } from './text-normalize.js';

/** What kind of fact a question asks for: decides which sentence leads the answer. */
export type QuestionKind = 'purpose' | 'number' | 'duration' | 'time' | 'served' | 'who' | 'where' | 'list' | 'general';

/**
 * Why a document was made, and on what basis: its first article says so (为…，依据…，制定本办法).
 * The words of this frame (目的, 出台, 达到, 上位文件) are not the subject asked about.
 */
export const PURPOSE_FRAME_RE = /((依据|根据|按照?)(啥|什么|哪些|哪几个?)(上位)?(文件|法规|政策)?|上位(文件|法规|政策|法)|制定依据|为了?达到(啥|什么|哪些)?目的|(啥|什么|哪些)?目的|宗旨|为什么(要)?(出台|制定|发布|印发)|为啥(要)?(出台|制定|发布|印发)|(出台|制定|印发)(的)?(背景|初衷|原因)|出台|\bwhy\b|\bpurpose\b|\baim of\b)/gi;

/**
 * Asking what the documents say about something (有政策依据吗, 文件有啥规定, 有什么说法): the frame asks
 * for a clause; its words (政策, 依据, 规定, 说法) are not the subject.
 */
export const DOCUMENTS_SAY_FRAME_RE = /((政策|文件|制度)(上的?)?(依据|支持|规定|要求|说法)|(有啥|有什么|有没有|啥)(说法|规定|提法))/g;

/**
 * Asking whom a body serves (服务对象是谁, 为谁服务): the texts say it as 面向… (面向创新主体和社会公众),
 * so the frame's words are not the subject.
 */
export const SERVED_FRAME_RE = /(服务对象|为谁服务|服务谁|面向谁|面向哪些|给谁服务|服务哪些(人|群体|主体|对象))/g;

const KIND_PATTERNS: Array<[QuestionKind, RegExp]> = [
  // The basis a document was made on (依据哪些文件, 上位文件) is stated where its purpose is (为…，依据…，制定本办法).
  ['purpose', /((依据|根据|按照?)(啥|什么|哪些|哪几个?)(上位)?(文件|法规|政策)|上位(文件|法规|政策|法)|制定依据|legal basis|\bbased on (what|which)\b|目的|宗旨|为什么(要)?(出台|制定|发布|印发)|为啥(要)?(出台|制定|发布|印发)|(出台|制定|印发)(的)?(背景|初衷|原因)|\bwhy (was|were|did|is|are)\b|\bpurpose\b)/i],
  ['duration', /(多久|多长时间|多长期限|几年|几个月|有效期多长|how long)/i],
  ['time', /(啥时候|什么时候|何时|几月|几号|截止|期限|哪年|到期|when|deadline|by when)/i],
  // 哪几个/哪几项 asks which ones (a list), not how many.
  ['number', /((?<!哪)(几名|几个|几家|几项|几科|几人)|多少|百分之|比例|覆盖率|how many|how much|percentage|what percent)/i],
  ['served', new RegExp(`${SERVED_FRAME_RE.source}|whom? (does|do|should|must|will)\\b[^?]{0,60}\\bserve`, 'i')],
  ['who', /(谁|哪个部门|哪些部门|由谁|哪个单位|who|which (department|office|body))/i],
  ['where', /(在哪|哪里|哪儿|去哪|哪个系统|网址|网站|链接|where|website|url)/i],
  ['list', /(哪些|哪几|有啥|包括什么|包含什么|都有什么|干啥|做什么|要干|what (are|services|materials))/i],
];

export function classifyQuestion(question: string): QuestionKind {
  // English puts the interrogative first and may say "when" later in a clause of its own
  // (Who … should we partner with when working on …): the earliest interrogative decides.
  if (isMostlyEnglish(question)) {
    // …and a plain "what …" or "which …" asked first is general, whatever a later clause says (what goes in the box when …).
    const first = /\b(what|which|who|whom|whose|when|where|why|how)\b/i.exec(question)?.index ?? Infinity;
    const found = KIND_PATTERNS.map(([kind, re]) => ({ kind, at: re.exec(question)?.index ?? Infinity })).sort((a, b) => a.at - b.at)[0];
    return found && found.at < Infinity && found.at <= first ? found.kind : 'general';
  }
  for (const [kind, re] of KIND_PATTERNS) if (re.test(question)) return kind;
  return 'general';
}

/** Does this text state the kind of fact asked for? */
const FACT_PATTERNS: Record<QuestionKind, RegExp> = {
  purpose: /为[^。；]{2,400}?(制[定订]本|特制[定订]|制[定订])/,
  number: /(\d+\s*(名|家|个|项|%|字|人|种|条|磅|号|倍|页|份|次|件|篇|所|元|万|小时|天|周|个月)|[一二三四五六七八九十两]+\s*(名|家|个|项)|\d+(\.\d+)?\s*%|\d+\s+\d+\s+\d+)/,
  // A length of time (三年, 半年, 6 个月, 30 日), not a calendar year such as 2025 年.
  // “按照有关通知要求” is how these policies say the timing is set by each year's notice.
  duration: /((?<!\d)\d{1,3}\s*个?\s*(年|月|天|日|周|工作日)|[一二三四五六七八九十两半]+\s*个?(年|月|天|周|工作日)|有效期|每年|每次|有关通知)/,
  time: /(有关通知|\d{4}\s*年|\d+\s*月底|\d{4}\s*年底|至\s*\d{4}\s*年|每年|有效期|半年|三年|期满|月底前|\d+\s*日)/,
  // The actor who does it (由…负责) or who receives it (向推荐部门提交, 报送至…).
  who: /(由.{2,20}(填写|负责|审核|推荐|撤销)|负责|填写|签字|统筹|牵头|向[^，。；,]{2,20}(提交|报送|报备|反馈|推荐)|报送至)/,
  served: /面向[^，。；,;]{2,40}/,
  where: /(https?:\/\/|网上|服务网(?!点)|网站|管理系统|服务平台|窗口|公布|发布)/,
  list: /[（(][一二三四五六七八九十]+[)）][\s\S]*[（(][一二三四五六七八九十]+[)）]|(、[^、。]{1,12}){3,}/,
  general: /$^/,
};

export function statesFactKind(text: string, kind: QuestionKind): boolean {
  return kind !== 'general' && FACT_PATTERNS[kind].test(text);
}

/**
 * Measure words a how-many question can ask in, grouped by what they count; the answer must state
 * a number in the same group (几份 is not answered by 5名). 个 counts anything and is not checked.
 */
const UNIT_GROUPS: Array<{ asked: RegExp; stated: RegExp }> = [
  { asked: /^(名|人|位)/, stated: /(名|人|位)/ },
  { asked: /^(家|所)/, stated: /(家|所|个)/ },
  { asked: /^(份|页|本|套)/, stated: /(份|页|本|套)/ },
  { asked: /^字/, stated: /字/ },
  { asked: /^(天|工作日)/, stated: /(天|日|工作日)/ },
  { asked: /^(年)/, stated: /年/ },
  { asked: /^个月/, stated: /(个月|半年)/ },
  { asked: /^(批|次|轮)/, stated: /(批|次|轮)/ },
  { asked: /^(元|块钱|万元|钱)/, stated: /(元|万元)/ },
  { asked: /^(小时|周)/, stated: /(小时|周)/ },
];

// 几月 / 几号 ask for a calendar date (question kind "time"), not a count of months or days.
// 块 counts money only as 块钱: 哪几块 asks which parts.
const ASKED_UNIT_RE = /(?:几|多少)\s*(个月|工作日|万元|块钱|[名人位家所份页本套字天年批次轮元钱周]|小时)/;

const ASKED_DAY_RE = /(几号|几月几[日号]|哪天|哪一天|具体日期|what date|which day)/i;
const STATED_DAY_RE = /(\d+\s*月\s*(底|\d+\s*日)|月底|\d+\s*日[前内]|有关通知)/;

/**
 * Asking for a contact itself (网址发我, 热线是多少, email address), not about a form's contact fields
 * (要留啥联系方式); each is answered only by a stated contact of its kind.
 */
const CONTACTS: Array<{ asked: RegExp; stated: RegExp }> = [
  { asked: /(网址|链接|website|\burl\b|web address)/i, stated: /(https?:\/\/|www\.)/i },
  { asked: /((哪个|什么|啥)(邮箱|电子邮件)|(邮箱|电子邮件)(地址)?(是多少|是啥|是什么|多少|发)|e-?mail address)/i, stated: /[a-z0-9._-]+@[a-z0-9-]+\.[a-z]/i },
  { asked: /(热线|(哪个|什么|啥)电话|(电话|手机)(号码?)?(是多少|是啥|是什么|多少|发)|phone number|hotline)/i, stated: /((?<!\d)\d{3,4}-\d{7,8}(?!\d)|(?<!\d)1\d{10}(?!\d)|(?<!\d)400-?\d{3}-?\d{4}|(?<!\d)12\d{3}(?!\d))/ },
];

/** The contact a question asks for (网址, 邮箱地址, 热线), as the pattern a passage stating one matches. */
export function askedContact(question: string): RegExp | undefined {
  return CONTACTS.find((c) => c.asked.test(question))?.stated;
}

/** How much money: 拨多少运行经费, 补贴多少, 多少钱 — answered only by an amount (元, 万元). */
const ASKED_MONEY_RE = /(多少|几)[\u4e00-\u9fff]{0,4}(经费|资金|钱|费用|补贴|补助|资助|奖励|奖金)|(经费|资金|费用|补贴|补助|资助|奖励|奖金)[\u4e00-\u9fff]{0,3}(多少|几)|how much (money|funding|subsidy)|how much\b[^?]{0,30}\bcosts?\b|what does it cost/i;

/** The measure-word group a how-many question asks in (几年 → 年, 多少字 → 字, 多少经费 → 元), if it names one. */
export function askedUnit(question: string): RegExp | undefined {
  // 几号 / 哪天 asks for a day: only a stated day or month-end answers it (not 每年 or 有效期).
  if (ASKED_DAY_RE.test(question)) return STATED_DAY_RE;
  const unit = ASKED_MONEY_RE.test(question) ? '元' : ASKED_UNIT_RE.exec(question)?.[1];
  if (!unit) return undefined;
  const group = UNIT_GROUPS.find((g) => g.asked.test(unit));
  if (!group) return undefined;
  // A number (digits, or Chinese numerals; not a four-digit calendar year) followed by a unit of the
  // group, or a table whose row names the unit in brackets (高校信息服务中心（家） 100).
  return new RegExp(`((?<!\\d)\\d{1,3}(\\.\\d+)?|[一二三四五六七八九十两半百千]+)\\s*(个)?${group.stated.source}|[（(][^）)]{0,6}${group.stated.source}[^）)]{0,6}[)）]`);
}
