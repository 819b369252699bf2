import { fill } from '../answer/messages.js';
import type { Choice, Reply } from '../core/ports.js';
import type { DialogueText } from './dialogue-text.js';
import type { AnswerValue, FlowState } from './flow-state.js';
import type { Parsed } from './parse-answer.js';

/** One question of a dialogue. Steps are data built from the programme and form definitions. */
export interface FlowStep {
  id: string;
  prompt: string;
  /** guidance shown under the question (length guidance, format, default) */
  hint?: string;
  choices?: Choice[];
  skippable: boolean;
  /** long text: after answering, “继续 …” (more …) appends more to it */
  multiPart?: boolean;
  /** a value known from the profile or an earlier draft, accepted with 确认 / 默认 */
  defaultValue?: AnswerValue;
  parse(input: string): Parsed<AnswerValue>;
  /** a valid answer that still deserves a warning (too short, fewer staff than required…) */
  warn?(value: AnswerValue, answers: FlowState['answers']): string | undefined;
  /** what was recorded, said back when it was read out of a sentence (so a misreading shows) */
  echo?(value: AnswerValue, input: string): string | undefined;
}

/** A dialogue: the steps that apply given the answers so far (they may depend on earlier answers). */
export interface FlowDefinition {
  id: FlowState['flow'];
  /** the progress line's template: 第 n/N 步 for the self-check, 第 n/N 项 for the form */
  progress: 'progress_check' | 'progress_form';
  /** the templates of the dialogue's language */
  text: DialogueText;
  steps(answers: FlowState['answers']): FlowStep[];
  /** total to show while later steps still depend on answers not given yet */
  estimatedTotal?(answers: FlowState['answers']): number;
}

/** The pending step: the first applicable step without an answer. Undefined when the flow is complete. */
export function currentStep(def: FlowDefinition, state: FlowState): FlowStep | undefined {
  return def.steps(state.answers).find((s) => !(s.id in state.answers));
}

export function progress(def: FlowDefinition, state: FlowState): { index: number; total: number } {
  const steps = def.steps(state.answers);
  const i = steps.findIndex((s) => !(s.id in state.answers));
  const total = Math.max(steps.length, def.estimatedTotal?.(state.answers) ?? 0);
  return { index: i < 0 ? steps.length : i + 1, total };
}

export type StepOutcome =
  | { kind: 'answered'; state: FlowState; warning?: string }
  | { kind: 'invalid'; error: string }
  | { kind: 'complete' };

/** Reads the user's answer to the pending step. Pure: returns a new state, never mutates. */
export function answerStep(def: FlowDefinition, state: FlowState, input: string, now: Date): StepOutcome {
  const step = currentStep(def, state);
  if (!step) return { kind: 'complete' };
  const parsed = step.parse(input);
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error };
  const answers = { ...state.answers, [step.id]: parsed.value };
  const warning = [step.echo?.(parsed.value, input), step.warn?.(parsed.value, answers)].filter(Boolean).join('\n');
  const next: FlowState = { ...state, answers, history: [...state.history, step.id], updatedAt: now.toISOString() };
  return { kind: 'answered', state: next, ...(warning ? { warning } : {}) };
}

/** 继续 <text>: appends more text to the last answer when it is a long text field. */
export function appendToLastAnswer(def: FlowDefinition, state: FlowState, more: string, now: Date): FlowState | undefined {
  const last = state.history[state.history.length - 1];
  const step = def.steps(state.answers).find((s) => s.id === last);
  const previous = last === undefined ? undefined : state.answers[last];
  if (!step?.multiPart || last === undefined || typeof previous !== 'string') return undefined;
  // A message cut in the middle of a sentence (a platform's length limit) continues it; a new
  // paragraph starts only where the previous text ended one.
  const joiner = /[。！？；：.!?;:」』）)\n]$/.test(previous.trimEnd()) ? '\n' : '';
  return { ...state, answers: { ...state.answers, [last]: `${previous.trimEnd()}${joiner}${more}` }, updatedAt: now.toISOString() };
}

/** 返回: forgets the last answer, so its step is asked again. Undefined at the first step. */
export function stepBack(state: FlowState, now: Date): FlowState | undefined {
  const last = state.history[state.history.length - 1];
  if (last === undefined) return undefined;
  const answers = { ...state.answers };
  delete answers[last];
  return { ...state, answers, history: state.history.slice(0, -1), updatedAt: now.toISOString() };
}

/** 跳过: records a deliberate blank. Undefined when the step may not be skipped. */
export function skipStep(def: FlowDefinition, state: FlowState, now: Date): FlowState | undefined {
  const step = currentStep(def, state);
  if (!step?.skippable) return undefined;
  return { ...state, answers: { ...state.answers, [step.id]: null }, history: [...state.history, step.id], updatedAt: now.toISOString() };
}

/** 修改 X: asks step X again (its old answer becomes the default). Undefined when X is not a step of this flow. */
export function reopenStep(def: FlowDefinition, state: FlowState, stepId: string, now: Date): FlowState | undefined {
  if (!def.steps(state.answers).some((s) => s.id === stepId)) return undefined;
  const answers = { ...state.answers };
  const old = answers[stepId];
  delete answers[stepId];
  const defaults = old === undefined || old === null ? state.defaults : { ...state.defaults, [stepId]: old };
  return { ...state, answers, defaults, history: state.history.filter((h) => h !== stepId), updatedAt: now.toISOString() };
}

/** The pending question as a reply: progress line, prompt, hint, choices. */
export function renderStep(def: FlowDefinition, state: FlowState, prefix?: string): Reply {
  const step = currentStep(def, state);
  if (!step) return { text: prefix ?? '' };
  const { index, total } = progress(def, state);
  const previous = defaultFor(state, step);
  const t = def.text;
  const lines = [
    ...(prefix ? [prefix, ''] : []),
    fill(t[def.progress], { index, total, prompt: step.prompt }),
    ...(step.hint ? [step.hint] : []),
    ...(previous !== undefined && previous !== null && !step.choices ? [fill(t.known_default, { value: String(previous) })] : []),
  ];
  return { text: lines.join('\n'), footer: controlsLine(step, t), ...(step.choices ? { choices: step.choices } : {}) };
}

/** The value 确认 accepts: an answer given before 修改, else what the profile already knows. */
export function defaultFor(state: FlowState, step: FlowStep): AnswerValue | undefined {
  return state.defaults[step.id] ?? step.defaultValue;
}

function controlsLine(step: FlowStep, t: DialogueText): string {
  const controls = [t.control_back, ...(step.skippable ? [t.control_skip] : []), t.control_cancel];
  return fill(t.controls, { controls: controls.join(' / ') });
}
