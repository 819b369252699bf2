import { describe, expect, it } from 'vitest';
import { converse, storedAnswers } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('form values said in sentences', () => {
  it('takes the name after a lead-in, the person or the title out of “X是Y”, phones and e-mails inside sentences, and says what it recorded', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, [
      '/register 网点',
      '我们单位全称是某某农业科学院',
      '某省知识产权局',
      '确认',
      '科研机构',
      '事业单位',
      '地址是某市某区农科路8号',
      '跳过',
      '跳过',
      '王五是院长',
      '院长',
      '联系人是赵六',
      '科长',
      '办公电话是 020-87654321，工作日都在',
      '邮箱 zhao@example.org.cn 谢谢',
    ]);
    expect(out).toContain('记下了：备案机构 某某农业科学院');
    expect(out).toContain('记下了：主要负责人 王五');
    expect(out).toContain('记下了：联系电话 020-87654321');
    const answers = storedAnswers(dataDir);
    expect(answers['cover:institution']).toBe('某某农业科学院');
    expect(answers['f:address']).toBe('某市某区农科路8号');
    expect(answers['f:head']).toBe('王五');
    expect(answers['f:contact']).toBe('赵六');
    expect(answers['f:phone']).toBe('020-87654321');
    expect(answers['f:email']).toBe('zhao@example.org.cn');
  });

  it('a sentence with no phone in it is refused and nothing is stored', async () => {
    const dataDir = tempDir();
    await converse(dataDir, ['/register 地市级', '某市知识产权服务中心', '某省知识产权局', '确认', '某省', '某市', '某路1号', '事业单位', '财政拨款', '某局', '5', '3', '陈六 主任', '电话还没装好']);
    expect(storedAnswers(dataDir)['f:headContact']).toBeUndefined();
  });
});

describe('optional rows', () => {
  it('an optional row of any type takes 暂无 (printed as 暂无); a required one does not', async () => {
    const dataDir = tempDir();
    const out = await converse(dataDir, ['/register 网点', '某某大学', '某省知识产权局', '确认', '高校', '事业单位', '某路1号', '没有', '暂无', '无']);
    const answers = storedAnswers(dataDir);
    expect(answers['f:platformName']).toBe('暂无');
    expect(answers['f:platformUrl']).toBe('暂无');
    // 主要负责人 is required: 无 is not a name.
    expect(answers['f:head']).toBeUndefined();
    expect(out).toContain('【一、机构基本情况】主要负责人');
  });
});
