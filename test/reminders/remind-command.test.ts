import { describe, expect, it } from 'vitest';
import { converse, converseAt } from '../helpers/converse.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/paths.js';

describe('/remind through the terminal channel', () => {
  it('asks for the date, learns it from a plain sentence, shows deadlines and the schedule, and unsubscribes', async () => {
    const dataDir = tempDir();
    // The schedule depends on the date: the bot runs on a clock set to mid-2025.
    const clock = new FakeClock(Date.parse('2025-06-01T10:00:00+08:00'));
    const out = await converseAt(dataDir, ['/remind', '我们2024年3月15日备案的', '/remind list', '退订', '/remind list', '/remind on'], clock);
    expect(out).toContain('还不知道贵机构办理哪个项目');
    expect(out).toContain('已记录备案日期：2024年3月15日');
    expect(out).toMatch(/2027年3月15日 — 备案有效期三年，期满申请续期（第九条）/);
    expect(out).toContain('2026年1月31日 — 每年 1 月底前报送上一年度工作总结（第十七条）');
    expect(out).toContain('已安排的提醒（北京时间上午发送）');
    expect(out).toMatch(/提前 30 天/);
    expect(out).toContain('已退订：不再发送期限提醒');
    expect(out).toContain('提醒已关闭。回复 /remind on 重新开启。');
    expect(out).toContain('已开启期限提醒。');
  });

  it('rejects an impossible date with a clear message and keeps the profile unchanged', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, ['/remind 网点 2024-02-30', '/remind']);
    expect(out).toContain('没看懂这个日期');
    expect(out).toContain('还不知道贵机构办理哪个项目');
  });
});
