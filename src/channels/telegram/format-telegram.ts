import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Choice, Reply } from '../../core/ports.js';
import { splitMessage } from '../split-message.js';

/** Telegram's limit for one message. */
export const TELEGRAM_LIMIT = 4096;

/** Escapes text for parse_mode HTML: policy text has 《》（）【】, URLs, and sometimes < > &. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** callback_data is at most 64 bytes; a longer value is sent as its option number, which the core also accepts. */
export function callbackData(choice: Choice, index: number): string {
  return Buffer.byteLength(choice.value, 'utf8') <= 64 ? choice.value : String(index + 1);
}

export function keyboard(choices: Choice[]): InlineKeyboardMarkup {
  return { inline_keyboard: choices.map((c, i) => [{ text: c.label.slice(0, 60), callback_data: callbackData(c, i) }]) };
}

/** The text parts of a reply (escaped, each ≤ 4096 after escaping); the keyboard goes on the last. */
export function telegramParts(reply: Reply): string[] {
  const text = reply.footer ? `${reply.text}\n${reply.footer}` : reply.text;
  // Escaping lengthens text (& → &amp;): a part still too long once escaped is split again, smaller.
  const fit = (raw: string): string[] => {
    const escaped = escapeHtml(raw);
    if (escaped.length <= TELEGRAM_LIMIT) return [escaped];
    const smaller = Math.max(100, Math.floor((raw.length * TELEGRAM_LIMIT) / escaped.length) - 20);
    return splitMessage(raw, smaller).flatMap(fit);
  };
  return splitMessage(text, TELEGRAM_LIMIT).flatMap(fit);
}
