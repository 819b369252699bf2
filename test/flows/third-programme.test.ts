import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { converseAt } from '../helpers/converse.js';
import { readDocx } from '../helpers/docx-reader.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { ROOT, tempDir } from '../helpers/paths.js';

/**
 * A third programme made of fixture data alone — a small document, its programme YAML and its
 * form (test/fixtures/third-programme) — runs the self-check, the checklists, the draft and the
 * deadlines through the terminal channel. Nothing under src/ names it.
 */
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'third-programme');
const clock = (): FakeClock => new FakeClock(Date.parse('2026-11-22T10:00:00+08:00'));

describe('a programme added as data only', () => {
  it('self-check: its goal, its applicant kinds read from everyday words, its criteria and verdict', async () => {
    const out = await converseAt(tempDir(), ['/check', '1', '我们是县农技站', '是', '我们有2个专职', '是'], clock(), { CORPUS_DIR: CORPUS });
    expect(out).toContain('1. 认定种子信息服务站');
    expect(out).toContain('记下了：专职人员 2 名');
    expect(out).toContain('【种子站认定】自查结果');
    expect(out).toContain('❌ 专职人员 3 名及以上');
    expect(out).toContain('（第三条）');
  });

  it('checklists: materials and procedure with their clauses', async () => {
    const out = await converseAt(tempDir(), ['/materials', '/steps'], clock(), { CORPUS_DIR: CORPUS });
    expect(out).toContain('认定申请表');
    expect(out).toContain('第四条');
    expect(out).toContain('向所在地农业厅提交材料');
  });

  it('draft: the form field by field, its count relation, its cover and signature lines', async () => {
    const dataDir = tempDir();
    const out = await converseAt(dataDir, ['/register', '某县农技推广站', '某省农业厅', '确认', '6', '8', '4', '本站开展种子信息查询和田间咨询服务。'.repeat(20)], clock(), { CORPUS_DIR: CORPUS });
    // The form's totals: 专职 cannot exceed 总人数.
    expect(out).toContain('专职人员数量（8）不能大于总人数（6）');
    expect(out).toContain('草稿已生成');
    const file = readdirSync(path.join(dataDir, 'outbox')).find((f) => f.endsWith('.docx'));
    expect(file).toBe('种子信息服务站认定表-草稿.docx');
    const docx = await readDocx(readFileSync(path.join(dataDir, 'outbox', file ?? '')));
    expect(docx.paragraphs).toContain('认定机构：某县农技推广站（盖章）');
    expect(docx.paragraphs).toContain('填报日期：2026年11月22日');
    expect(docx.tables[0]?.[1]).toEqual(['总人数', '6', '专职人员数量', '4']);
    expect(docx.paragraphs).toContain('三、推荐部门意见');
    expect(docx.paragraphs.some((p) => p.startsWith('经办人：') && p.endsWith('（盖章）'))).toBe(true);
  });

  it('deadlines: counted from its own date, with its own rules', async () => {
    const out = await converseAt(tempDir(), ['/remind 2025-03-15'], clock(), { CORPUS_DIR: CORPUS });
    expect(out).toContain('已记录认定日期：2025年3月15日');
    expect(out).toContain('2027年2月28日 — 每年 2 月底前报送上一年度工作总结（第七条）');
    expect(out).toContain('2027年3月15日 — 认定有效期两年，期满重新申请认定（第六条）');
  });
});
