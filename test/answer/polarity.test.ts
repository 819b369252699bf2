import { describe, expect, it } from 'vitest';
import { polarity } from '../../src/answer/polarity.js';

describe('the yes or no of a yes/no question, read from the clause', () => {
  it('answers necessity and permission from the modal that governs what was asked', () => {
    expect(polarity('已经登记了还要备案吗', '已登记的果园服务中心，不需要进行种子站备案。', ['备案'])).toBe('no_need');
    expect(polarity('年度总结要报吗', '种子站应当于每年2月底前报送上一年度工作总结。', ['年度', '总结'])).toBe('need');
    expect(polarity('能收备案费吗', '种子站不得以备案名义收取费用。', ['备案', '费用'])).toBe('may_not');
    expect(polarity('Do we still need to file?', '已登记的果园服务中心，不需要进行种子站备案。', ['备案'])).toBe('no_need');
  });

  it('gives none when the modal is about something else or the kind asked does not match', () => {
    // 不需要 governs 公示, not what was asked (材料).
    expect(polarity('还要交材料吗', '不需要公示。材料由农业厅审核。', ['材料'])).toBeUndefined();
    // A permission question is not answered by an obligation.
    expect(polarity('能晚点交总结吗', '种子站应当于每年2月底前报送上一年度工作总结。', ['总结'])).toBeUndefined();
    // 支持 inside a name (技术与创新支持中心) is no permission.
    expect(polarity('可以和中心合作吗', '技术与创新支持中心等机构', ['中心'])).toBeUndefined();
  });
});
