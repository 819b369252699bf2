import { describe, expect, it } from 'vitest';
import { converseAt } from '../helpers/converse.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/paths.js';

describe('/remind as a dialogue', () => {
  it('asks which programme (numbered), then takes a bare date; says plainly which periods already ended', async () => {
    const clock = new FakeClock(Date.parse('2026-11-22T10:00:00+08:00'));
    const out = await converseAt(tempDir(), ['/remind', '1', '2023-03-15', '今年3月1日收到整改通知'], clock);
    expect(out).toContain('还不知道贵机构办理哪个项目');
    expect(out).toContain('请发送备案日期');
    expect(out).toContain('已记录备案日期：2023年3月15日');
    expect(out).not.toContain('抱歉，现有政策文件里没有找到');
    expect(out).toContain('首个有效期已于 2026年3月15日 届满（第九条）；如已续期，下次届满为 2029年3月15日');
    expect(out).toContain('已记录整改通知日期：2026年3月1日');
    expect(out).toContain('整改期已于 2026年9月1日 届满（第十七条）');
  });

  it('reads the date forms staff write', async () => {
    const clock = new FakeClock(Date.parse('2026-11-22T10:00:00+08:00'));
    const out = await converseAt(tempDir(), ['/remind 网点 24.3.15', '/remind 网点 二〇二四年三月十五日', '/remind 网点 去年3月15日'], clock);
    expect(out.match(/已记录备案日期：2024年3月15日/g)).toHaveLength(2);
    expect(out).toContain('已记录备案日期：2025年3月15日');
  });
});
