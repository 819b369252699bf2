import { z } from 'zod';
import type { IncomingMessage } from '../../core/ports.js';

/**
 * The WeCom intelligent bot's callback bodies (aibot_msg_callback / aibot_event_callback), as
 * the SDK delivers them and WeCom documents them: text, voice (already transcribed), mixed
 * text and images, images and files; and the events enter_chat, template_card_event and
 * feedback_event. Event details come either flat on `event` or under the event's own name.
 */
const from = z.object({ userid: z.string().min(1) });
const common = { msgid: z.string().min(1), chatid: z.string().optional(), chattype: z.enum(['single', 'group']).optional(), from };

const messageSchema = z.object({
  ...common,
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  voice: z.object({ content: z.string() }).optional(),
  mixed: z.object({ msg_item: z.array(z.object({ msgtype: z.string(), text: z.object({ content: z.string() }).optional() })) }).optional(),
});

const cardEvent = z.object({ event_key: z.string().optional(), task_id: z.string().optional() });
const feedbackEvent = z.object({ id: z.string().optional(), type: z.number().int().optional(), content: z.string().optional(), inaccurate_reason_list: z.array(z.number()).optional() });

const eventSchema = z.object({
  ...common,
  event: z
    .object({ eventtype: z.string(), template_card_event: cardEvent.optional(), feedback_event: feedbackEvent.optional() })
    .merge(cardEvent)
    .merge(feedbackEvent),
});

export type WecomAction =
  | { kind: 'message'; message: IncomingMessage; platformId: string }
  | { kind: 'welcome' }
  | { kind: 'card'; taskId: string; key: string; message: IncomingMessage; platformId: string }
  | { kind: 'feedback'; userId: string; feedbackId: string; rating: 'up' | 'down' | 'cancel'; reasons: string[]; comment?: string }
  | { kind: 'ignore' };

const KIND: Record<string, IncomingMessage['kind']> = { image: 'photo', file: 'file', video: 'file' };

/** A group message reaches the bot only when it is @-mentioned; the mention itself is not the question. */
const withoutMention = (text: string): string => text.replace(/^\s*@\S+\s*/u, '').trim();

export function messageAction(body: unknown): WecomAction {
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) return { kind: 'ignore' };
  const b = parsed.data;
  const group = b.chattype === 'group';
  const base = { channel: 'wecom' as const, chatId: group && b.chatid ? b.chatid : b.from.userid, userId: b.from.userid, messageId: b.msgid, ...(group ? { group: true } : {}) };
  const text = b.text?.content ?? b.voice?.content ?? b.mixed?.msg_item.flatMap((i) => (i.text ? [i.text.content] : [])).join('\n');
  if (text !== undefined) return { kind: 'message', message: { ...base, kind: 'text', text: group ? withoutMention(text) : text }, platformId: b.msgid };
  return { kind: 'message', message: { ...base, kind: KIND[b.msgtype] ?? 'other' }, platformId: b.msgid };
}

/** feedback_event type: 1 accurate, 2 inaccurate, 3 cancelled */
const RATING: Record<number, 'up' | 'down' | 'cancel'> = { 1: 'up', 2: 'down', 3: 'cancel' };

export function eventAction(body: unknown): WecomAction {
  const parsed = eventSchema.safeParse(body);
  if (!parsed.success) return { kind: 'ignore' };
  const b = parsed.data;
  const e = b.event;
  switch (e.eventtype) {
    case 'enter_chat':
      return { kind: 'welcome' };
    case 'template_card_event': {
      const key = e.template_card_event?.event_key ?? e.event_key;
      const taskId = e.template_card_event?.task_id ?? e.task_id;
      if (!key || !taskId) return { kind: 'ignore' };
      const group = b.chattype === 'group';
      const message: IncomingMessage = { channel: 'wecom', chatId: group && b.chatid ? b.chatid : b.from.userid, userId: b.from.userid, kind: 'text', text: key, ...(group ? { group: true } : {}) };
      return { kind: 'card', taskId, key, message, platformId: b.msgid };
    }
    case 'feedback_event': {
      const f = e.feedback_event ?? e;
      const rating = RATING[f.type ?? 0];
      if (!f.id || !rating) return { kind: 'ignore' };
      return { kind: 'feedback', userId: b.from.userid, feedbackId: f.id, rating, reasons: (f.inaccurate_reason_list ?? []).map(String), ...(f.content ? { comment: f.content } : {}) };
    }
    default:
      return { kind: 'ignore' };
  }
}
