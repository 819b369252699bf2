import { describe, expect, it } from 'vitest';
import { WechatCipher } from '../../src/channels/wechat-oa/oa-crypto.js';
import { noticeValue } from '../../src/channels/wechat-oa/oa-notice.js';
import { inboundSchema, parseXml, textReplyXml } from '../../src/channels/wechat-oa/oa-xml.js';
import { inboundAction } from '../../src/channels/wechat-oa/oa-inbound.js';
import { splitMessage, utf8Bytes } from '../../src/channels/split-message.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('Official Account building blocks', () => {
  it('opens only what was sealed for this AppID, and refuses altered text', () => {
    const ours = new WechatCipher(KEY, 'wx0123456789abcdef');
    const sealed = ours.encrypt('<xml><Content><![CDATA[网点]]></Content></xml>');
    expect(ours.decrypt(sealed)).toContain('网点');
    expect(() => new WechatCipher(KEY, 'wxffffffffffffffff').decrypt(sealed)).toThrow(/another AppID/);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0xff;
    expect(() => ours.decrypt(bytes.toString('base64'))).toThrow();
  });

  it('keeps a reply containing "]]>" intact through the XML', () => {
    const xml = textReplyXml('oUser', 'gh_x', 'a]]>b 《办法》', 1);
    expect(inboundSchema.parse({ ...parseXml(xml), MsgType: 'text' }).Content).toBe('a]]>b 《办法》');
  });

  it('reads a menu-message tap as the number of the item and recognised speech as text', () => {
    const base = { ToUserName: 'gh', FromUserName: 'oU', CreateTime: '1700000000' };
    expect(inboundAction({ ...base, MsgType: 'text', Content: '高校', MsgId: '1', bizmsgmenuid: '2' })).toMatchObject({ kind: 'message', message: { text: '2' }, platformId: '1' });
    expect(inboundAction({ ...base, MsgType: 'voice', Recognition: '网点要几个人', MsgId: '2' })).toMatchObject({ message: { kind: 'text', text: '网点要几个人' } });
    expect(inboundAction({ ...base, MsgType: 'image', MsgId: '3' })).toMatchObject({ message: { kind: 'photo' } });
    expect(inboundAction({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: '/check' })).toMatchObject({ message: { text: '/check' }, platformId: 'oU:1700000000:CLICK' });
  });

  it('fits notification fields to WeChat’s formats', () => {
    expect(noticeValue('time2', '2025-01-31')).toBe('2025年1月31日');
    expect([...noticeValue('thing1', '每年 1 月底前报送上一年度工作总结和下一年度工作计划')].length).toBe(20);
    expect(noticeValue('phrase3', '已到期提醒')).toBe('已到期提醒');
  });

  it('splits by UTF-8 bytes without cutting a character', () => {
    const text = '专'.repeat(3000);
    const parts = splitMessage(text, 2048, utf8Bytes);
    expect(parts.every((p) => utf8Bytes(p) <= 2048)).toBe(true);
    expect(parts.join('')).toBe(text);
  });
});
