import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/**
 * The Official Account's callback XML (接收普通消息 / 接收事件推送) and its passive reply.
 * Every value is kept a string (no number parsing: MsgIds are 64-bit).
 */
const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  processEntities: true,
  trimValues: true,
  isArray: (name) => name === 'List',
});

const subscriptionList = z
  .object({ List: z.array(z.object({ TemplateId: z.string(), SubscribeStatusString: z.string() })).optional() })
  .optional();

export const inboundSchema = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string().min(1),
  Content: z.string().optional(),
  MsgId: z.string().optional(),
  Recognition: z.string().optional(),
  Event: z.string().optional(),
  EventKey: z.string().optional(),
  bizmsgmenuid: z.string().optional(),
  SubscribeMsgPopupEvent: subscriptionList,
  SubscribeMsgChangeEvent: subscriptionList,
});

export type InboundXml = z.infer<typeof inboundSchema>;

/** The outer envelope of a callback: plaintext fields, or Encrypt in safe mode. */
export function parseXml(xml: string): Record<string, unknown> {
  const doc = parser.parse(xml) as { xml?: unknown };
  if (!doc || typeof doc.xml !== 'object' || doc.xml === null) throw new Error('not a WeChat XML message');
  return doc.xml as Record<string, unknown>;
}

const cdata = (value: string): string => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** A passive text reply (被动回复用户消息). */
export function textReplyXml(to: string, from: string, content: string, createTime: number): string {
  return `<xml><ToUserName>${cdata(to)}</ToUserName><FromUserName>${cdata(from)}</FromUserName><CreateTime>${createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content></xml>`;
}

/** The safe-mode envelope of a passive reply. */
export function encryptedReplyXml(encrypt: string, signature: string, timestamp: string, nonce: string): string {
  return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
}
