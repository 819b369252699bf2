import type { IncomingMessage } from '../../core/ports.js';
import type { InboundXml } from './oa-xml.js';

/** What one callback asks the channel to do. */
export type InboundAction =
  | { kind: 'message'; message: IncomingMessage; platformId: string }
  | { kind: 'welcome' }
  | { kind: 'consent'; changes: Array<{ templateId: string; granted: boolean }> }
  | { kind: 'ignore' };

const KIND: Record<string, IncomingMessage['kind']> = { image: 'photo', voice: 'voice', video: 'file', shortvideo: 'file', location: 'other', link: 'other', file: 'file' };

/**
 * A callback as the core sees it. The platform id is the MsgId; events have none, and WeChat's
 * advice is to de-duplicate them by sender + CreateTime. A voice message with WeChat's speech
 * recognition is text; a click on a menu-message item (bizmsgmenuid) is the number of that item,
 * which the core reads as the choice it offered; a menu button's key is the command it stands for.
 */
export function inboundAction(x: InboundXml): InboundAction {
  const openId = x.FromUserName;
  const base = { channel: 'wechat-oa' as const, chatId: openId, userId: openId };
  const eventId = `${openId}:${x.CreateTime}:${x.Event ?? x.MsgType}`;
  if (x.MsgType === 'event') {
    switch (x.Event) {
      case 'subscribe':
        return { kind: 'welcome' };
      case 'CLICK':
        return x.EventKey ? { kind: 'message', message: { ...base, kind: 'text', text: x.EventKey }, platformId: eventId } : { kind: 'ignore' };
      case 'subscribe_msg_popup_event':
      case 'subscribe_msg_change_event': {
        const list = (x.SubscribeMsgPopupEvent ?? x.SubscribeMsgChangeEvent)?.List ?? [];
        return { kind: 'consent', changes: list.map((l) => ({ templateId: l.TemplateId, granted: l.SubscribeStatusString === 'accept' })) };
      }
      default:
        return { kind: 'ignore' }; // unsubscribe, VIEW, SCAN, LOCATION, send reports
    }
  }
  const platformId = x.MsgId ?? eventId;
  if (x.MsgType === 'text') {
    const text = x.bizmsgmenuid && /^\d{1,2}$/.test(x.bizmsgmenuid) ? x.bizmsgmenuid : (x.Content ?? '');
    return { kind: 'message', message: { ...base, kind: 'text', text }, platformId };
  }
  if (x.MsgType === 'voice' && x.Recognition) return { kind: 'message', message: { ...base, kind: 'text', text: x.Recognition }, platformId };
  return { kind: 'message', message: { ...base, kind: KIND[x.MsgType] ?? 'other' }, platformId };
}
