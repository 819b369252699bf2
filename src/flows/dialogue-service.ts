import type { AnswerService } from '../answer/answer-service.js';
import { fill } from '../answer/messages.js';
import { replyLanguage, type Lang } from '../core/lang.js';
import type { Logger } from '../core/logger.js';
import type { Clock, Reply } from '../core/ports.js';
import type { InstitutionProfile, UserKey } from '../core/profile.js';
import { answerStep, appendToLastAnswer, currentStep, defaultFor, renderStep, reopenStep, skipStep, stepBack, type FlowDefinition } from './flow-engine.js';
import type { FlowState } from './flow-state.js';
import { isSmallTalk } from '../understanding/question-shape.js';
import { isAcknowledgement, isKeep, isQuestionAtStep } from './non-answers.js';
import type { DialogueTexts } from './dialogue-text.js';

export interface SessionStore {
  get(key: UserKey): Promise<FlowState | undefined>;
  save(key: UserKey, state: FlowState): Promise<void>;
  clear(key: UserKey): Promise<void>;
}

export interface ProfileStore {
  get(key: UserKey): Promise<InstitutionProfile>;
  save(key: UserKey & { chatId: string }, profile: InstitutionProfile, now: Date): Promise<void>;
}

/** What a flow adds to the generic engine: how it starts, how it ends, its own extra commands. */
export interface FlowKit {
  id: FlowState['flow'];
  /** its name in messages (资格自查), a template of prompts/dialogue.yaml */
  titleKey: 'check_title' | 'form_title';
  /** the command that starts it, named in messages */
  command: string;
  /** the steps, in the dialogue's language (state.language) */
  definition(profile: InstitutionProfile, state: FlowState): FlowDefinition;
  /** `args`: what followed the command (/register 网点 names the form); `lang`: the language to talk in */
  begin(profile: InstitutionProfile, now: Date, args: string | undefined, lang: Lang): { state: FlowState; intro: Reply[] };
  finish(state: FlowState, profile: InstitutionProfile, now: Date): Promise<{ replies: Reply[]; profile: InstitutionProfile; outcome?: FlowOutcome }>;
  /** 预览: the result so far */
  preview?(state: FlowState, profile: InstitutionProfile, now: Date): Promise<Reply[]>;
  /** 修改 X: the steps a user's words name (one; several when the words fit more than one; none) */
  findSteps?(state: FlowState, profile: InstitutionProfile, words: string): Array<{ id: string; label: string }>;
}

/** How a finished dialogue came out, for the demand report (nothing about who). */
export interface FlowOutcome {
  programme?: string;
  /** self-check: meets / falls_short / exempt; registration: draft */
  verdict: 'meets' | 'falls_short' | 'exempt' | 'draft' | 'none';
  /** the criteria not met (ids from the programme data) */
  shortOn?: string[];
}

/** Dialogue starts and outcomes, without user ids (the operator console's report counts them). */
export interface FlowEventLog {
  record(event: { flow: FlowState['flow']; event: 'started' | 'finished'; programme?: string; region?: string; verdict?: string; shortOn?: string[]; at: Date }): Promise<void>;
}

export interface DialogueDeps {
  kits: FlowKit[];
  /** what the dialogues say, by language */
  texts: DialogueTexts;
  sessions: SessionStore;
  profiles: ProfileStore;
  answers: AnswerService;
  clock: Clock;
  logger: Logger;
  events?: FlowEventLog;
  /** the province an institution's profile places it in (reports by region) */
  regionOf?: (profile: InstitutionProfile) => string | undefined;
}

export interface DialogueService {
  /** `lang`: the language the user wrote the starting message in, when it is not a bare command */
  start(key: UserKey, chatId: string, flow: FlowState['flow'], args?: string, lang?: Lang): Promise<Reply[]>;
  /**
   * Undefined when the user has no dialogue in progress (the message is then a question).
   * `lang`: the language the user's own words ask for (the router reads it before a picked
   * choice replaces them); the dialogue then goes on in it.
   */
  handle(key: UserKey, chatId: string, text: string, lang?: Lang): Promise<Reply[] | undefined>;
  cancel(key: UserKey, lang?: Lang): Promise<Reply[]>;
  /** the dialogue this user is in, if any */
  active(key: UserKey): Promise<FlowState['flow'] | undefined>;
  /** what starting over or cancelling would throw away: the dialogue's title and how many answers */
  progress(key: UserKey): Promise<{ flow: FlowState['flow']; title: string; answered: number } | undefined>;
  /** how long a message the pending step takes, when longer than a question may be (long sections) */
  inputLimit(key: UserKey, text: string): Promise<number | undefined>;
  /** the title of a flow (for messages about it) */
  titleOf(flow: FlowState['flow'], lang?: Lang): string;
  /** the language of the dialogue in progress, if any */
  language(key: UserKey): Promise<Lang | undefined>;
}


/**
 * A long section of the form in one message: the form's guidance goes up to 1500字左右, and a
 * prepared text pasted whole must fit with room to spare (twice the longest guidance and more).
 */
export const LONG_STEP_CHARS = 10_000;

/**
 * Runs step-by-step dialogues over the flow engine. State is saved before every reply, so a
 * restart resumes at the same step; an invalid answer changes nothing and asks again; a free
 * question in the middle is answered and the pending question repeated.
 */
export function createDialogueService(deps: DialogueDeps): DialogueService {
  const startedAt = deps.clock.now().toISOString();
  /** users already told, in this process, that a dialogue was waiting */
  const told = new Set<string>();
  const kitFor = (flow: FlowState['flow']): FlowKit => {
    const kit = deps.kits.find((k) => k.id === flow);
    if (!kit) throw new Error(`no flow kit for ${flow}`);
    return kit;
  };

  const advance = async (key: UserKey, chatId: string, kit: FlowKit, state: FlowState, profile: InstitutionProfile, prefix?: string): Promise<Reply[]> => {
    const def = kit.definition(profile, state);
    if (currentStep(def, state)) {
      await deps.sessions.save(key, state);
      return [renderStep(def, state, prefix)];
    }
    const done = await kit.finish(state, profile, deps.clock.now());
    await deps.profiles.save({ ...key, chatId }, done.profile, deps.clock.now());
    if (done.outcome) await record(kit, 'finished', done.profile, done.outcome);
    await deps.sessions.clear(key);
    return prefix ? [{ text: prefix }, ...done.replies] : done.replies;
  };

  const record = async (kit: FlowKit, event: 'started' | 'finished', profile: InstitutionProfile, outcome?: FlowOutcome): Promise<void> => {
    const region = deps.regionOf?.(profile);
    const programme = outcome?.programme ?? profile.programme;
    await deps.events?.record({ flow: kit.id, event, ...(programme ? { programme } : {}), ...(region ? { region } : {}), ...(outcome ? { verdict: outcome.verdict } : {}), ...(outcome?.shortOn?.length ? { shortOn: outcome.shortOn } : {}), at: deps.clock.now() });
  };

  const answerAndRepeat = async (key: UserKey, def: FlowDefinition, state: FlowState, question: string): Promise<Reply[]> => {
    const answer = await deps.answers.answer(question, { language: state.language });
    await deps.sessions.save(key, state);
    return [{ text: answer.answer }, renderStep(def, state, deps.texts[state.language].back_to_question)];
  };
  const titleOf = (flow: FlowState['flow'], lang: Lang): string => deps.texts[lang][kitFor(flow).titleKey];

  return {
    async start(key, chatId, flow, args, lang) {
      const kit = kitFor(flow);
      const profile = await deps.profiles.get(key);
      const { state, intro } = kit.begin(profile, deps.clock.now(), args, replyLanguage(profile.language, undefined, lang ?? 'zh'));
      await record(kit, 'started', profile);
      const replies = await advance(key, chatId, kit, state, profile);
      return [...intro, ...replies];
    },

    async active(key) {
      return (await deps.sessions.get(key))?.flow;
    },

    async progress(key) {
      const state = await deps.sessions.get(key);
      return state ? { flow: state.flow, title: titleOf(state.flow, state.language), answered: state.history.length } : undefined;
    },

    async language(key) {
      return (await deps.sessions.get(key))?.language;
    },

    async inputLimit(key, text) {
      const state = await deps.sessions.get(key);
      if (!state) return undefined;
      const def = kitFor(state.flow).definition(await deps.profiles.get(key), state);
      // “继续 …” adds to the long section answered last.
      const last = state.history[state.history.length - 1];
      const step = MORE.test(text) ? def.steps(state.answers).find((s) => s.id === last) : currentStep(def, state);
      return step?.multiPart ? LONG_STEP_CHARS : undefined;
    },

    titleOf(flow, lang = 'zh') {
      return titleOf(flow, lang);
    },

    async cancel(key, lang) {
      const had = await deps.sessions.get(key);
      await deps.sessions.clear(key);
      const t = deps.texts[had?.language ?? lang ?? 'zh'];
      if (!had) return [{ text: t.no_dialogue }];
      return [{ text: fill(t.cancelled, { title: titleOf(had.flow, had.language), command: kitFor(had.flow).command }) }];
    },

    async handle(key, chatId, text, lang) {
      const stored = await deps.sessions.get(key);
      if (!stored) return undefined;
      const language = lang ?? stored.language;
      const state = language === stored.language ? stored : { ...stored, language };
      if (state !== stored) await deps.sessions.save(key, state);
      // The first message after a restart (a dialogue left before this process started) is told
      // which dialogue is waiting and where; a greeting then gets the pending step, nothing saved.
      const who = `${key.channel}:${key.userId}`;
      const resumed = state.updatedAt < startedAt && !told.has(who);
      if (!resumed) return handleStep(key, chatId, text, state);
      told.add(who);
      const kit = kitFor(state.flow);
      const notice = { text: fill(deps.texts[state.language].resumed, { title: titleOf(state.flow, state.language), answered: state.history.length }) };
      if (isSmallTalk(text)) return [notice, renderStep(kit.definition(await deps.profiles.get(key), state), state)];
      return [notice, ...(await handleStep(key, chatId, text, state))];
    },
  };

  async function handleStep(key: UserKey, chatId: string, text: string, state: FlowState): Promise<Reply[]> {
    const kit = kitFor(state.flow);
    const profile = await deps.profiles.get(key);
    const def = kit.definition(profile, state);
    const t = deps.texts[state.language];
    const now = deps.clock.now();
    const input = text.trim();
    const step = currentStep(def, state);

    if (BACK.test(input)) {
      const back = stepBack(state, now);
      return back ? advance(key, chatId, kit, back, profile) : [renderStep(def, state, t.back_first)];
    }
    if (SKIP.test(input)) {
      const skipped = skipStep(def, state, now);
      return skipped ? advance(key, chatId, kit, skipped, profile, t.skipped) : [renderStep(def, state, t.cannot_skip)];
    }
    if (RESUME.test(input)) return [renderStep(def, state)];
    const more = MORE.exec(input);
    if (more?.[1]) {
      const appended = appendToLastAnswer(def, state, more[1], now);
      if (appended) {
        const last = appended.history[appended.history.length - 1] ?? '';
        return advance(key, chatId, kit, appended, profile, fill(t.appended, { n: String(appended.answers[last] ?? '').length }));
      }
    }
    if (PREVIEW.test(input) && kit.preview) return [...(await kit.preview(state, profile, now)), renderStep(def, state)];
    // 修改 字段名 reopens a field; several fitting fields are offered as numbered choices; 修改 with a
    // space and no such field says so. Text that merely starts with 修改 (修改后的地址：…) is an answer.
    const edit = EDIT.exec(input);
    const words = (edit?.[2] ?? '').trim();
    // Only what has been filled can be changed; a field not reached yet is asked in its turn.
    const named = words && kit.findSteps ? kit.findSteps(state, profile, words) : [];
    const targets = named.filter((n) => n.id in state.answers);
    if (named.length > 0 && targets.length === 0) return [renderStep(def, state, fill(t.edit_not_reached, { words }))];
    const [only] = targets;
    const reopened = targets.length === 1 && only ? reopenStep(def, state, only.id, now) : undefined;
    if (reopened) return advance(key, chatId, kit, reopened, profile);
    if (targets.length > 1) return [{ text: fill(t.edit_which, { words }), choices: targets.map((n) => ({ value: `修改 ${n.label}`, label: n.label })) }];
    if (edit?.[1] && named.length === 0 && kit.findSteps) return [renderStep(def, state, fill(t.edit_unknown, { words }))];
    const fallback = step ? defaultFor(state, step) : undefined;
    const hasFallback = fallback !== undefined && fallback !== null;
    const freeText = step !== undefined && !step.choices;
    // Not answers, so nothing is saved: a question about the step is answered and the step asked
    // again; an acknowledgement, or 确认 with nothing to keep, asks again.
    if (freeText && isQuestionAtStep(input)) return answerAndRepeat(key, def, state, input);
    if (freeText && (isAcknowledgement(input) || (isKeep(input) && !hasFallback))) return [renderStep(def, state, t.still_empty)];
    const effective = isKeep(input) && hasFallback ? String(fallback) : input;
    const outcome = answerStep(def, state, effective, now);
    if (outcome.kind === 'answered') return advance(key, chatId, kit, outcome.state, profile, outcome.warning);
    if (outcome.kind === 'complete') return advance(key, chatId, kit, state, profile);
    if (isQuestionAtStep(input)) return answerAndRepeat(key, def, state, input);
    return [renderStep(def, state, outcome.error)];
  }
}

/** The words that steer a dialogue, in Chinese and English. */
const BACK = /^(返回|上一步|back|go back|previous|\/back)$/i;
const SKIP = /^(跳过|skip|\/skip)$/i;
const RESUME = /^(继续|continue|resume|\/resume)$/i;
/** 继续 <text> / more <text>: appends to the long section answered last */
const MORE = /^(?:继续|more|continued?:?)\s+([\s\S]+)$/i;
const PREVIEW = /^(预览|preview|\/preview)$/i;
/** 修改 <field> / edit <field> / change <field> */
const EDIT = /^(?:修改|edit|change)(\s*)(.{1,40})$/i;
