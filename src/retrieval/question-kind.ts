/** What kind of fact a question asks for: decides which sentence leads the answer. */
export type QuestionKind = 'number' | 'duration' | 'time' | 'who' | 'where' | 'list' | 'general';

const KIND_PATTERNS: Array<[QuestionKind, RegExp]> = [
  ['duration', /(多久|多长时间|多长期限|几年有效|有效期几年|有效期多长|how long)/i],
  ['time', /(啥时候|什么时候|何时|几月|几号|截止|期限|哪年|到期|when|deadline|by when)/i],
  ['number', /(几名|几个|几家|几项|几科|多少|几人|百分之|比例|覆盖率|多少字|how many|how much|percentage|what percent)/i],
  ['who', /(谁|哪个部门|哪些部门|由谁|哪个单位|who|which (department|office|body))/i],
  ['where', /(在哪|哪里|哪儿|去哪|哪个系统|网址|网站|链接|where|website|url)/i],
  ['list', /(哪些|有啥|包括什么|包含什么|都有什么|干啥|做什么|要干|what (are|services|materials))/i],
];

export function classifyQuestion(question: string): QuestionKind {
  for (const [kind, re] of KIND_PATTERNS) if (re.test(question)) return kind;
  return 'general';
}

/** Does this text state the kind of fact asked for? */
const FACT_PATTERNS: Record<QuestionKind, RegExp> = {
  number: /(\d+\s*(名|家|个|项|%|字|人|种|条|磅|号|倍|页|份|次|件|篇|所|元|万|小时|天|周|个月)|[一二三四五六七八九十两]+\s*(名|家|个|项)|\d+(\.\d+)?\s*%|\d+\s+\d+\s+\d+)/,
  // A length of time (三年, 半年, 6 个月, 30 日), not a calendar year such as 2025 年.
  // “按照有关通知要求” is how these policies say the timing is set by each year's notice.
  duration: /((?<!\d)\d{1,3}\s*个?\s*(年|月|天|日|周|工作日)|[一二三四五六七八九十两半]+\s*个?(年|月|天|周|工作日)|有效期|每年|每次|有关通知)/,
  time: /(有关通知|\d{4}\s*年|\d+\s*月底|\d{4}\s*年底|至\s*\d{4}\s*年|每年|有效期|半年|三年|期满|月底前|\d+\s*日)/,
  who: /(由.{2,20}(填写|负责|审核|推荐|撤销)|负责|填写|签字|统筹|牵头)/,
  where: /(https?:\/\/|网上|服务网(?!点)|网站|管理系统|服务平台|窗口|公布|发布)/,
  list: /[（(][一二三四五六七八九十]+[)）][\s\S]*[（(][一二三四五六七八九十]+[)）]|(、[^、。]{1,12}){3,}/,
  general: /$^/,
};

export function statesFactKind(text: string, kind: QuestionKind): boolean {
  return kind !== 'general' && FACT_PATTERNS[kind].test(text);
}
