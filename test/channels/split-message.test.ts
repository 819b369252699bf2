import { describe, expect, it } from 'vitest';
import { escapeHtml, telegramParts, TELEGRAM_LIMIT } from '../../src/channels/telegram/format-telegram.js';
import { splitMessage } from '../../src/channels/split-message.js';
import { WECHAT_LIMIT } from '../../src/channels/wechat/wechat-channel.js';

const citation = (i: number): string => `·《国家知识产权信息公共服务网点备案实施办法（修订）》第${i}条：“国家知识产权信息公共服务网点备案有效期为三年,期满按照有关通知要求申请续期,每次续期三年。”`;

describe('splitting long replies for Telegram and WeChat', () => {
  const long = Array.from({ length: 120 }, (_, i) => (i % 10 === 0 ? `\n${citation(i)}` : citation(i))).join('\n');

  it('keeps every part within the limit and never cuts a citation line', () => {
    for (const limit of [TELEGRAM_LIMIT, WECHAT_LIMIT]) {
      const parts = splitMessage(long, limit);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
      for (let i = 0; i < 120; i++) expect(parts.some((p) => p.includes(citation(i)))).toBe(true);
      expect(parts.join('\n').replace(/\n+/g, '\n')).toBe(long.replace(/\n+/g, '\n'));
    }
  });

  it('splits a single over-long line at sentence ends', () => {
    const line = '本条规定。'.repeat(1500);
    const parts = splitMessage(line, 1200);
    expect(parts.every((p) => p.length <= 1200 && p.endsWith('。'))).toBe(true);
    expect(parts.join('')).toBe(line);
  });

  it('escapes HTML after splitting, staying within Telegram’s limit', () => {
    const text = `${'a < b & c > d，见 https://ggfw.cnipa.gov.cn/gl?x=1&y=2 《指引》（附件）【注】\n'.repeat(200)}`;
    const parts = telegramParts({ text });
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(p).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    }
    expect(escapeHtml('1 < 2 & 3')).toBe('1 &lt; 2 &amp; 3');
  });
});
