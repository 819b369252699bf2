import { chineseToNumber } from '../core/chinese-numerals.js';
import { normalizeForSearch } from '../retrieval/text-normalize.js';

/*
 * The shape of what a user typed, read from the grammar of questions (Chinese and English),
 * not from any one question: is it small talk, a follow-up, a correction, a yes/no question,
 * several questions in one, and which numbers does the asker give about themselves.
 */

/** Greetings, thanks, farewells and "who are you / what can you do": phrases of conversation, not of policy. */
const SMALLTALK_PHRASES = [
  /(你好|您好|hello|hi|hey|嗨|哈喽|在吗|在不在|早上好|上午好|下午好|晚上好|早安|good (morning|afternoon|evening))/gi,
  /(谢谢|多谢|感谢|谢了|谢啦|谢谢啦|辛苦了|thanks?( you)?( a lot| so much| very much)?|thx|太好了|好的|好吧|行吧|行了|好嘞|好滴|好哒|嗯嗯|可以了|没问题|明白了?|知道了|了解了?|收到|懂了|ok(ay)?|great|got it|perfect|awesome|cool|nice)/gi,
  /(再见|拜拜|回头见|bye|goodbye|see you)/gi,
  /(你是谁|你是什么|你叫什么|你(们)?是.{0,8}(机器人|助手|做的|开发的)|谁(做|开发)的你?|你能(干|做|帮|帮我做)?(啥|什么|些什么|哪些事)|你会(干|做)?(啥|什么)|你有(啥|什么|哪些)功能|怎么用你?|能帮我?(干|做)?(点)?(啥|什么)|who are you|what can you do|what do you do|how do (i|you) use (this|you)|help( me)?)/gi,
];
const FILLER = /[\s\p{P}\p{S}啊呀呢吧哈嘿哦噢嗯呐啦嘛的了我们呀哇~]+/gu;

/**
 * "你能帮我查专利吗": a question about what the bot can do (你能/你会/你可以 + a task + 吗), unless it
 * asks the bot to tell or explain something (你能告诉我…吗 is a policy question said politely).
 */
const CAPABILITY_RE = /^(你|您)(能|会|可以|能不能|可不可以)(帮我|帮忙|帮我们|给我)?(?!告诉|说说|讲讲|解释|介绍|说一下|讲一下)[^，,。？?]{1,12}(吗|么|不)[？?]?$|^can you (help|do|search|check|find)\b/i;

/** True when nothing but greetings, thanks, farewells or "what can you do" is left of the message. */
export function isSmallTalk(text: string): boolean {
  if (CAPABILITY_RE.test(normalizeForSearch(text).trim())) return true;
  let rest = normalizeForSearch(text);
  let matched = false;
  for (const re of SMALLTALK_PHRASES) {
    rest = rest.replace(re, () => {
      matched = true;
      return ' ';
    });
  }
  return matched && rest.replace(FILLER, '').replace(/\b(a|lot|so|much|very|again|there|bot|you|for|the|help|and|all)\b/g, '').trim().length === 0;
}

/** Which small talk it is, to answer in kind. */
export function smallTalkKind(text: string): 'thanks' | 'bye' | 'greeting' {
  const t = normalizeForSearch(text);
  const [, thanks, bye] = SMALLTALK_PHRASES;
  if (bye && new RegExp(bye.source, 'i').test(t)) return 'bye';
  if (thanks && new RegExp(thanks.source, 'i').test(t)) return 'thanks';
  return 'greeting';
}

/** A leading greeting on a real question (你好，网点要几个人) is dropped before the question is read. */
export function withoutGreeting(text: string): string {
  return text.replace(/^\s*(你好|您好|hello|hi|hey|嗨|哈喽|请问|问一下|问下|打扰一下)[\s,，!！。.、:：]*/i, '').trim() || text;
}

/** A correction of the previous question: 不对，我问的是地市级的. */
const CORRECTION_RE = /^(不对|不是|错了|搞错了|我是问|我问的是|我说的是|我指的是|no[,，]?\s*i (mean|meant|asked)|i meant|not that)/i;
/** Words that continue the previous turn: 那…呢, 还有, 要是, and what about … */
const CONTINUATION_RE = /^(那|那么|那如果|那要是|还有|另外|如果|要是|假如|万一|那个|and\b|what about|how about|and if|and what|but|what if|then|also)/i;
/**
 * A demonstrative or pronoun that points back (这些原则…, 这个要多久, 它归谁管, those/it …): the
 * question's subject is whatever the previous turn was about.
 */
const ANAPHORA_RE = /^(这些|这个|这项|这种|这类|这样|这|它们?|其|该|上述|前面(说|讲)?的|刚才(说|讲)?的|those|these|that|this|it|they)(?![\u4e00-\u9fff]*(我们|本单位))/i;

export function isCorrection(text: string): boolean {
  return CORRECTION_RE.test(text.trim());
}

/** The correction marker removed: 不对，我问的是地市级的 → 地市级的. */
export function correctionBody(text: string): string {
  let body = text.trim();
  // 不对，我是问… carries two markers: strip until none is left.
  for (let i = 0; i < 3 && CORRECTION_RE.test(body); i++) body = body.replace(CORRECTION_RE, '').replace(/^[\s,，:：。]+/, '').trim();
  return body;
}

/** The demonstrative a message starts with (这些, 该, those …), if any. */
export function leadingDemonstrative(text: string): string | undefined {
  return ANAPHORA_RE.exec(text.trim())?.[0];
}

export function startsAsContinuation(text: string): boolean {
  const t = text.trim();
  return CONTINUATION_RE.test(t) || ANAPHORA_RE.test(t) || /(呢|呢？|呢\?)$/.test(t.replace(/[\s。.!！]+$/, ''));
}

/** A question that wants a yes or a no: 能…吗, 要不要, 是否, Can/Is/Do … ? */
export function isYesNoQuestion(text: string): boolean {
  const t = normalizeForSearch(text).trim();
  if (/^(can|could|is|are|do|does|must|should|may|will|shall|has|have)\b/i.test(t)) return true;
  if (/(多少|几|什么|啥|哪|谁|怎么|如何|咋|多久|多长|何时)/.test(t)) return false;
  return /(吗|么|嘛)[？?。!！\s]*$|是否|能不能|可不可以|可否|要不要|需不需要|用不用|有没有|是不是|行不行|算不算|会不会|允不允许|得不得|[^\s，,]不[？?]?$/.test(t);
}

/**
 * Splits a message that asks several things (…吗？另外…；…) into its questions. A piece too
 * short to be a question of its own (a tag like “对吗”) stays with the one before it.
 */
export function splitQuestions(text: string): string[] {
  const pieces = text
    // 另外/还有/同时 start a new question only after a pause (…吗，另外…); 能同时备案 is one question.
    // English joins a second question with “, and which/what/how …”.
    .split(/(?<=[？?；;])\s*|(?<=[，,。\s])\s*(?:另外|此外|还有就是|还有|以及|同时)[，,]?(?=[\u4e00-\u9fff])|(?<=[。！!])\s*(?=\S)|,\s*and\s+(?=(?:which|what|how|who|when|where|whom|whose|is|are|do|does|can|must|should)\b)/i)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of pieces) {
    const body = p.replace(/[\s\p{P}]/gu, '');
    const last = out[out.length - 1];
    if (last !== undefined && [...body].length < 5) out[out.length - 1] = `${last}${p}`;
    else out.push(p);
  }
  return out.length > 0 ? out : [text];
}

/** The asker describes their institution: 我们是…, 我们单位有…, 本单位已经是…. */
const DESCRIBES_SELF_RE = /(我们|我|本单位|我单位|咱们|俺们)(这边|单位|学校|中心|馆|所|院)?(已经)?(是|属于|作为|有|现有|共有)|\b(we are|we're|our (library|university|institute|centre|center))\b/i;

export function describesSelf(text: string): boolean {
  return DESCRIBES_SELF_RE.test(normalizeForSearch(text));
}

/** A count the asker gives about their institution: 我们有3个专职 → {value: 3, near: '专职'}. */
export interface StatedCount {
  value: number;
  /** the words around the number, to match against the requirement it is compared with */
  context: string;
}

const COUNT_RE = /(\d{1,4}|[一二两三四五六七八九十]{1,3})\s*(个|名|人|位|家)/g;

/** Numbers of people or units the asker states (not the ones they ask about: 几个, 多少). */
export function statedCounts(text: string): StatedCount[] {
  const t = normalizeForSearch(text);
  const out: StatedCount[] = [];
  for (const m of t.matchAll(COUNT_RE)) {
    const raw = m[1] ?? '';
    const value = /^\d+$/.test(raw) ? Number(raw) : chineseToNumber(raw);
    const at = m.index ?? 0;
    // 我们是一家…公司, 这是一个…: “one” after 是 is an article, not a count.
    if (raw === '一' && /是$/.test(t.slice(0, at))) continue;
    out.push({ value, context: t.slice(Math.max(0, at - 8), at + m[0].length + 8) });
  }
  return out;
}

/**
 * What the asker sets aside (除了省内对口帮扶，…; 除…以外/之外): known already, not what is asked.
 * Empty when nothing is.
 */
export function setAsidePart(text: string): string {
  return /除了?([^，,。？?！!；;]{2,30}?)(以外|之外|外)?[，,]/.exec(text)?.[1] ?? '';
}
