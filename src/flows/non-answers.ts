/**
 * Messages typed at a step that are not an answer to it, so nothing is saved: a question about the
 * step, an acknowledgement, a request to keep a value there is none of. Judged by the form of the
 * message, not by a list of expected questions.
 */
const QUESTION = /([？?]\s*$|怎么|什么|啥|如何|哪|吗|呢|是否|算不算|能不能|可不可以|多少|由谁|谁来|谁签|^(what|how|who|whom|which|where|when|why)\b|^(do|does|did|can|could|should|must|is|are|will|would)\s+(i|we|you|it|this|that|they|the|there)\b)/i;
const ACKNOWLEDGEMENT = /^(嗯+|嗯嗯|哦+|噢+|好+|好的|好吧|行|可以|ok|okay|收到|明白|知道了|了解|谢谢|多谢|got it|thanks|thank you|sure|fine|alright|all right|i see|understood)[。.!！~～]*$/i;
const KEEP = /^(确认|默认|沿用|confirm|keep|keep it|same|same as before)$/i;

/** A question at a free-text step: short, and asked (？ at the end, or an interrogative word). */
export function isQuestionAtStep(input: string): boolean {
  const t = input.trim();
  return [...t].length >= 4 && [...t].length <= 80 && QUESTION.test(t);
}

export function isAcknowledgement(input: string): boolean {
  return ACKNOWLEDGEMENT.test(input.trim());
}

/** 确认 / 默认 / 沿用: keep the known value (only meaningful when there is one). */
export function isKeep(input: string): boolean {
  return KEEP.test(input.trim());
}
