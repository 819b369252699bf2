/**
 * A clause where the asker describes themselves (我们是部委直属的行业研究院) names the asker, not
 * the topic: its words decide nothing about whether the corpus answers the question.
 */
// It ends at a pause, or where the question starts without one (我们已经是TISC了还要备案网点吗).
const SELF_DESCRIPTION_RE = /(我们|我|本单位|我单位|咱们|俺们)(已经)?(是|属于|这边是|作为)[^，,。？?！!；;]*?(?=[，,。？?！!；;]|了|还要|还需|还得|能不能|能否|能|可以|可不可以|需要|需不需要|要不要|想|吗|$)/g;

/** The text without the clauses where the asker describes themselves. */
export function withoutSelfDescription(text: string): string {
  return text.replace(SELF_DESCRIPTION_RE, ' ').replace(/\s+/g, ' ').trim();
}
