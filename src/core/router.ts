import { z } from 'zod';
import type { AnswerService } from '../answer/answer-service.js';
import type { Conversation } from '../answer/conversation.js';
import { fill, type Messages } from '../answer/messages.js';
import { renderChecklist, type ChecklistKind } from '../answer/structured-answer.js';
import type { DialogueService, ProfileStore } from '../flows/dialogue-service.js';
import type { ProgrammeCatalog } from '../programmes/catalog.js';
import { prefillArgs } from '../programmes/prefill.js';
import { isEligibilityIntent, parseCommand, PRIVATE_COMMANDS, type ParsedCommand } from './commands.js';
import { createKeyedQueue } from './keyed-queue.js';
import { isEnglishSentence, type Lang } from './lang.js';
import { isMostlyEnglish } from '../retrieval/text-normalize.js';
import type { Logger } from './logger.js';
import type { ChoiceMemory, UserDataStore } from './pipeline-ports.js';
import { CHANNELS, type Clock, type IncomingMessage, type QuestionLog, type Reply } from './ports.js';
import { profilePlace, type UserKey } from './profile.js';

/** Something else that handles a command (reminders): the router stays ignorant of its details. */
export type CommandHandler = (key: UserKey & { chatId: string }, args: string, lang: Lang) => Promise<Reply[]> | Reply[];

export interface RouterDeps {
  answers: AnswerService;
  /** answers in the context of the user's previous turn (follow-ups), kept in the session store */
  conversation: Conversation;
  catalog: ProgrammeCatalog;
  dialogue: DialogueService;
  profiles: ProfileStore;
  messages: Messages;
  questionLog: QuestionLog;
  clock: Clock;
  logger: Logger;
  maxMessageChars: number;
  /** handlers for commands owned by other modules (e.g. remind) */
  extraCommands?: Partial<Record<ParsedCommand['name'], CommandHandler>>;
  /** the choices each user was last offered (a bare number picks one on text-only channels) */
  choices?: ChoiceMemory;
  /** everything stored about a user, for /forget */
  userData?: UserDataStore;
  /** recognisers of plain statements (e.g. “我们2023年3月15日备案的”); the first that answers wins */
  statements?: Array<(key: UserKey & { chatId: string }, text: string, lang: Lang) => Promise<Reply[] | undefined>>;
}

export interface MessageRouter {
  handle(message: IncomingMessage): Promise<Reply[]>;
}

const incomingSchema = z.object({
  channel: z.enum(CHANNELS),
  chatId: z.string().min(1),
  userId: z.string().min(1),
  kind: z.enum(['text', 'sticker', 'photo', 'voice', 'file', 'other']),
  text: z.string().optional(),
  group: z.boolean().optional(),
  privateLink: z.string().optional(),
  messageId: z.string().max(256).optional(),
});

// eslint-disable-next-line no-control-regex -- these are exactly the characters removed
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const CHECKLIST_COMMANDS: Partial<Record<ParsedCommand['name'], ChecklistKind>> = { materials: 'materials', deadlines: 'deadlines', steps: 'steps' };

/**
 * The channel-agnostic core: one incoming message → replies. One user's messages are handled
 * in order; bad input gets a clear reply; commands start or steer dialogues; anything else is a
 * question (or the answer to the pending step). Errors never escape to the channel.
 */
export function createRouter(deps: RouterDeps): MessageRouter {
  const queue = createKeyedQueue();
  const say = (text: string): Reply[] => [{ text }];

  /**
   * The language to reply in: the user's setting; with auto, the language of this message, else
   * of the dialogue in progress, else the one the user last wrote in. An English sentence is
   * remembered for later bare commands; Chinese inside a dialogue is a form value, not a choice.
   */
  const languageOf = async (key: UserKey & { chatId: string }, said: string, inDialogue: boolean): Promise<Lang> => {
    const profile = await deps.profiles.get(key);
    if (profile.language !== 'auto') return profile.language;
    // A command's words (/start register, /register outlet) are English only as a sentence; outside
    // a dialogue a plain message is a question, English when mostly Latin letters (TISC requirements?).
    const command = parseCommand(said);
    const text = command ? command.args : said;
    const english = isEnglishSentence(text) || (!inDialogue && !command && isMostlyEnglish(text));
    const written: Lang | undefined = english ? 'en' : /\p{Script=Han}/u.test(text) && !inDialogue ? 'zh' : undefined;
    if (written && written !== (profile.lastLanguage ?? 'zh')) await deps.profiles.save(key, { ...profile, lastLanguage: written }, deps.clock.now());
    return written ?? (await deps.dialogue.language(key)) ?? profile.lastLanguage ?? 'zh';
  };

  const answerQuestion = async (msg: IncomingMessage, question: string, lang: Lang): Promise<Reply[]> => {
    const m = deps.messages[lang];
    // The language read from this message, the setting or the one last written in (a bare "yes" after English).
    // Where the institution is (from its form answers): that region's documents are preferred.
    const place = profilePlace(await deps.profiles.get({ channel: msg.channel, userId: msg.userId }));
    const answer = await deps.conversation.ask({ channel: msg.channel, userId: msg.userId }, question, { language: lang, ...(place ? { place } : {}) });
    const top = answer.citations[0];
    await deps.questionLog.record({
      channel: msg.channel,
      userId: msg.userId,
      question,
      refused: answer.refused,
      ...(top ? { topCitation: `${top.doc} ${top.article}` } : {}),
      ...(msg.messageId ? { messageId: msg.messageId } : {}),
      kind: answer.kind,
      ...(answer.trace?.programme ? { programme: answer.trace.programme } : {}),
      ...(answer.trace?.topic ? { topic: answer.trace.topic } : {}),
      ...(answer.trace?.region ? { region: answer.trace.region } : {}),
      answer: answer.answer,
      citations: answer.citations.map((c) => ({ doc: c.doc, article: c.article })),
      ...(answer.trace ? { trace: answer.trace } : {}),
      at: deps.clock.now(),
    });
    // What the asker said about their institution rides in the offered command: saved only if they start.
    if (answer.selfCheck) return [{ text: answer.answer, choices: [{ value: `/check ${prefillArgs(answer.selfCheck)}`, label: m.check_prefilled_choice }] }];
    return say(answer.answer);
  };

  const checklist = async (key: UserKey, kind: ChecklistKind, args: string): Promise<Reply[]> => {
    const named = deps.catalog.mentioned(args);
    const fromProfile = deps.catalog.byId((await deps.profiles.get(key)).programme ?? '');
    const programmes = named.length > 0 ? named.slice(0, 1) : fromProfile ? [fromProfile] : deps.catalog.programmes;
    return programmes.map((p) => ({ text: renderChecklist(deps.catalog, kind, p).text }));
  };

  const inventory = (m: Messages['zh'], counts: Record<string, number>): string =>
    Object.entries(counts)
      // Bookkeeping the user never saw (offered choices) is deleted without being listed.
      .flatMap(([kind, n]) => (n > 0 && m.forget_kinds[kind] ? [fill(m.forget_kinds[kind], { n })] : []))
      .join('、');

  /** /forget asks first; only the answer to that question (确认删除) deletes. */
  const forget = async (key: UserKey, args: string, m: Messages['zh']): Promise<Reply[]> => {
    if (!deps.userData) return say(fill(m.unknown_command, { command: '/forget' }));
    if (args === 'keep') return say(m.forget_kept);
    const counts = await deps.userData.inventory(key);
    const asked = (await deps.choices?.get(key))?.some((c) => c.value === m.forget_confirm) === true;
    if (Object.values(counts).every((n) => n === 0)) return say(m.forget_nothing);
    if (args === 'confirm' && asked) {
      await deps.userData.forget(key);
      return say(fill(m.forget_done, { inventory: inventory(m, counts) }));
    }
    return [{ text: fill(m.forget_prompt, { inventory: inventory(m, counts) }), choices: [{ value: m.forget_confirm, label: m.forget_confirm }, { value: '/forget keep', label: m.forget_keep }] }];
  };

  /**
   * Cancelling, or starting a dialogue over one with answers in it, throws those answers away:
   * asked first (the confirmation is the same command with “confirm”); undefined when nothing
   * would be lost or the user confirmed.
   */
  const wouldDiscard = async (key: UserKey, cmd: ParsedCommand, consequence: string, m: Messages['zh']): Promise<Reply[] | undefined> => {
    const progress = await deps.dialogue.progress(key);
    if (!progress || progress.answered < 2 || cmd.args === 'confirm') return undefined;
    const text = fill(m.discard_prompt, { title: progress.title, answered: progress.answered, consequence });
    return [{ text, choices: [{ value: `/${cmd.name} confirm ${cmd.args}`.trim(), label: m.discard_confirm }, { value: '继续', label: m.discard_keep }] }];
  };

  const privateOnly = (msg: IncomingMessage, name: string, m: Messages['zh']): Reply[] => {
    const where = msg.privateLink ? fill(m.private_where_link, { link: `${msg.privateLink}${name}` }) : fill(m.private_where_dm, { command: `/${name}` });
    return say(fill(m.private_only, { where }));
  };

  const runCommand = async (msg: IncomingMessage, key: UserKey, cmd: ParsedCommand, lang: Lang): Promise<Reply[]> => {
    const full = { ...key, chatId: msg.chatId };
    const m = deps.messages[lang];
    if (msg.group && cmd.name !== 'unknown' && PRIVATE_COMMANDS.has(cmd.name)) return privateOnly(msg, cmd.name, m);
    const kind = CHECKLIST_COMMANDS[cmd.name];
    if (kind) return checklist(key, kind, cmd.args);
    switch (cmd.name) {
      case 'start': {
        // A deep link (t.me/<bot>?start=register) opens the private chat on that command.
        const linked = cmd.args ? parseCommand(`/${cmd.args}`) : undefined;
        return linked && linked.name !== 'unknown' && linked.name !== 'start' ? runCommand(msg, key, linked, lang) : say(m.start);
      }
      case 'forget':
        return forget(key, cmd.args, m);
      case 'help':
        return say(m.help);
      case 'ask':
        return cmd.args ? answerQuestion(msg, cmd.args, lang) : say(m.empty);
      case 'check':
      case 'register': {
        const flow = cmd.name === 'check' ? 'self-check' : 'register';
        const args = cmd.args.replace(/^confirm\b\s*/, '');
        return (await wouldDiscard(key, cmd, fill(m.discard_to_start, { other: deps.dialogue.titleOf(flow, lang) }), m)) ?? deps.dialogue.start(key, msg.chatId, flow, args, lang);
      }
      case 'cancel':
        return (await wouldDiscard(key, cmd, m.discard_to_cancel, m)) ?? deps.dialogue.cancel(key, lang);
      case 'lang': {
        const language = /^(en|english|英文)$/i.test(cmd.args) ? 'en' : /^(zh|cn|中文)$/i.test(cmd.args) ? 'zh' : 'auto';
        await deps.profiles.save(full, { ...(await deps.profiles.get(key)), language }, deps.clock.now());
        const told = deps.messages[language === 'auto' ? lang : language];
        return say(fill(told.lang_set, { language: { en: 'English', zh: '中文', auto: language === 'auto' && lang === 'en' ? 'auto' : '自动' }[language] }));
      }
      case 'unknown':
        return say(fill(m.unknown_command, { command: cmd.word }));
      default: {
        const handler = deps.extraCommands?.[cmd.name];
        return handler ? handler(full, cmd.args, lang) : say(fill(m.unknown_command, { command: cmd.word }));
      }
    }
  };

  /** "1", "2" … after a reply that offered choices: the value of that choice. */
  const offered = async (key: UserKey, text: string): Promise<string | undefined> => {
    const n = /^\s*(\d{1,2})\s*[.。、]?\s*$/.exec(text)?.[1];
    return n ? (await deps.choices?.get(key))?.[Number(n) - 1]?.value : undefined;
  };

  /** Routes a message; English replies are marked so channels word their own hints in English too. */
  const route = async (msg: IncomingMessage): Promise<Reply[]> => {
    const key: UserKey = { channel: msg.channel, userId: msg.userId };
    const flow = await deps.dialogue.active(key);
    // Control characters (a vertical tab pasted from Word) would make a .docx unreadable and mean nothing.
    const text = (msg.text ?? '').replace(CONTROL_CHARS, '').trim();
    const lang = await languageOf({ ...key, chatId: msg.chatId }, text, flow !== undefined);
    const replies = await routeIn(msg, key, flow, text, lang);
    return lang === 'en' ? replies.map((r) => ({ ...r, lang })) : replies;
  };

  const routeIn = async (msg: IncomingMessage, key: UserKey, flow: Awaited<ReturnType<DialogueService['active']>>, said: string, lang: Lang): Promise<Reply[]> => {
    let text = said;
    const m = deps.messages[lang];
    if (msg.kind !== 'text') return say(m.non_text);
    if (!text) return say(m.empty);
    // The limit is for questions; a step asking for a long section (1500字左右) takes what it asks for.
    const max = (flow ? await deps.dialogue.inputLimit(key, text) : undefined) ?? deps.maxMessageChars;
    const length = [...text].length;
    if (length > max) return say(fill(m.too_long, { length, max }));
    // A number picks from the choices the last reply offered, inside a dialogue too (a dialogue
    // step's choices map to the same values the step itself accepts).
    const picked = await offered(key, text);
    const cmd = parseCommand(picked ?? text);
    if (cmd) return runCommand(msg, key, cmd, lang);
    if (picked) text = picked;
    // A form being filled in shows personal data: it goes on in the private chat only.
    if (flow && !(msg.group && flow === 'register')) {
      const inDialogue = await deps.dialogue.handle(key, msg.chatId, text, lang);
      if (inDialogue) return inDialogue;
    }
    for (const recognise of deps.statements ?? []) {
      const replies = await recognise({ ...key, chatId: msg.chatId }, text, lang);
      if (replies) return replies;
    }
    if (isEligibilityIntent(text)) return deps.dialogue.start(key, msg.chatId, 'self-check', undefined, lang);
    return answerQuestion(msg, text, lang);
  };

  return {
    async handle(message: IncomingMessage): Promise<Reply[]> {
      const parsed = incomingSchema.safeParse(message);
      if (!parsed.success) {
        deps.logger.warn('invalid incoming message', { issue: parsed.error.issues[0]?.message });
        return say(deps.messages.zh.error);
      }
      return queue(`${message.channel}:${message.userId}`, async () => {
        try {
          const replies = await route(message);
          await deps.choices?.set({ channel: message.channel, userId: message.userId }, replies[replies.length - 1]?.choices, deps.clock.now());
          return replies;
        } catch (e) {
          deps.logger.error('message handling failed', { channel: message.channel, error: (e as Error).message });
          return say(deps.messages.zh.error);
        }
      });
    },
  };
}
