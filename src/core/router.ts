import { z } from 'zod';
import type { AnswerService } from '../answer/answer-service.js';
import { fill, type Messages } from '../answer/messages.js';
import type { Logger } from './logger.js';
import type { Clock, IncomingMessage, QuestionLog, Reply } from './ports.js';

export interface RouterDeps {
  answers: AnswerService;
  messages: Messages;
  questionLog: QuestionLog;
  clock: Clock;
  logger: Logger;
  maxMessageChars: number;
}

export interface MessageRouter {
  handle(message: IncomingMessage): Promise<Reply[]>;
}

const incomingSchema = z.object({
  channel: z.enum(['terminal', 'telegram', 'wechat']),
  chatId: z.string().min(1),
  userId: z.string().min(1),
  kind: z.enum(['text', 'sticker', 'photo', 'voice', 'file', 'other']),
  text: z.string().optional(),
});

/** Chinese and slash commands that map to the same action (WeChat users type them without a slash). */
const COMMANDS: Record<string, 'start' | 'help' | 'ask'> = {
  '/start': 'start',
  '/help': 'help',
  帮助: 'help',
  '/ask': 'ask',
  提问: 'ask',
};

/**
 * The channel-agnostic core: one incoming message → replies. Validates the message,
 * turns bad input into a clear reply (too long, not text, unknown command), answers questions,
 * logs each question before replying, and never lets an error escape to the channel.
 */
export function createRouter(deps: RouterDeps): MessageRouter {
  const m = deps.messages.zh;
  const reply = (text: string): Reply[] => [{ text }];

  const answerQuestion = async (msg: IncomingMessage, question: string): Promise<Reply[]> => {
    const answer = await deps.answers.answer(question);
    const top = answer.citations[0];
    deps.questionLog.record({
      channel: msg.channel,
      userId: msg.userId,
      question,
      refused: answer.refused,
      ...(top ? { topCitation: `${top.doc} ${top.article}` } : {}),
      at: deps.clock.now(),
    });
    return reply(answer.answer);
  };

  const route = async (msg: IncomingMessage): Promise<Reply[]> => {
    if (msg.kind !== 'text') return reply(m.non_text);
    const text = (msg.text ?? '').trim();
    if (!text) return reply(m.empty);
    const length = [...text].length;
    if (length > deps.maxMessageChars) return reply(fill(m.too_long, { length, max: deps.maxMessageChars }));
    const [head = '', ...rest] = text.split(/\s+/);
    const command = COMMANDS[head.toLowerCase()];
    const args = rest.join(' ').trim();
    if (command === 'start') return reply(m.start);
    if (command === 'help') return reply(m.help);
    if (command === 'ask') return args ? answerQuestion(msg, args) : reply(m.empty);
    if (head.startsWith('/')) return reply(fill(m.unknown_command, { command: head }));
    return answerQuestion(msg, text);
  };

  return {
    async handle(message: IncomingMessage): Promise<Reply[]> {
      const parsed = incomingSchema.safeParse(message);
      if (!parsed.success) {
        deps.logger.warn('invalid incoming message', { issue: parsed.error.issues[0]?.message });
        return reply(m.error);
      }
      try {
        return await route(message);
      } catch (e) {
        deps.logger.error('message handling failed', { channel: message.channel, error: (e as Error).message });
        return reply(m.error);
      }
    },
  };
}
