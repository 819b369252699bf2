import { describe, expect, it } from 'vitest';
import { converse, fromLast, storedAnswers } from '../helpers/converse.js';
import { tempDir } from '../helpers/paths.js';

describe('a question that describes the institution offers the self-check with what was said', () => {
  it('answers, then starts the self-check with the programme, the kind and the staff count already filled in', async () => {
    const out = await converse(tempDir(), ['我们是市里的一家科技情报所，有6个专职，想备案网点可以吗', '1']);
    const answer = out.slice(0, out.indexOf('开始资格自查'));
    expect(answer).toContain('第五条');
    expect(answer).toContain('开始自查（预填您说的情况）');
    const check = fromLast(out, '开始资格自查');
    expect(check).toContain('已按您刚才说的预先填好：办理网点备案；机构类型 科技情报机构；专职人员 6 名');
    // The first step not said is asked next (not the programme, not the kind).
    expect(check).toContain('贵机构是独立法人单位吗');
    expect(check).not.toContain('贵机构想办理哪一项');
  });

  it('an institution that is already exempt gets the exemption at once', async () => {
    const out = await converse(tempDir(), ['我们单位已经是国家级知识产权保护中心，还需要做网点备案吗', '1']);
    expect(out).toMatch(/不需要。/);
    const check = fromLast(out, '开始资格自查');
    expect(check).toContain('已是国家级知识产权保护中心');
    expect(check).toContain('第十九条');
  });

  it('a plain question offers no pre-filled self-check', async () => {
    const out = await converse(tempDir(), ['网点备案要几个专职人员']);
    expect(out).not.toContain('预填');
  });
});

describe('the institution kind named in everyday words', () => {
  it('a university library is the university’s (高校), a city library is a public library', async () => {
    const uni = tempDir();
    await converse(uni, ['/check', '1', '我们是XX大学图书馆']);
    expect(storedAnswers(uni)['kind']).toBe('kind:高校');
    const city = tempDir();
    await converse(city, ['/check', '1', '市图书馆']);
    expect(storedAnswers(city)['kind']).toBe('kind:公共图书馆');
  });
});

describe('what the self-check found, carried on', () => {
  it('an institution found exempt is told so before the registration form starts', async () => {
    const out = await converse(tempDir(), ['/check', '1', 'TISC', '/register 网点']);
    const register = fromLast(out, '按您自查的结果');
    expect(register).toContain('贵机构已是技术与创新支持中心（TISC）');
    expect(register).toContain('第十九条');
  });

  it('an applicant that is not a legal person gets the form rule about the legal entity quoted with the verdict', async () => {
    const out = await converse(tempDir(), ['/check', '1', '1', '否', '是', '6', '2', '是', '是', '是', '是', '是', '是', '是', '1']);
    const verdict = fromLast(out, '自查结果');
    expect(verdict).toContain('❌ 独立法人单位');
    expect(verdict).toContain('另见附件 填表说明 一：“封面“备案机构”名称填写法人单位名称”');
  });
});
