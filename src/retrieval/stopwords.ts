/**
 * Words that carry no policy content in a staff member's question: pronouns, particles,
 * colloquial question words. Question words that signal what kind of answer is wanted
 * (多少, 几, 谁, 什么时候) are detected separately by question-kind.ts before removal.
 */
export const STOPWORDS = new Set(
  `我们 我 你 你们 他 他们 她 它 咱 咱们 俺 本 这个 那个 这种 那种 这样 那样 这 那 啥 什么 怎么 怎样 怎么样 咋 咋样 如何 吗 呢 吧 啊 呀 哪 哪些 哪个 哪里 哪儿
是不是 能不能 可不可以 可以 能 能否 需要 需 要 要不要 有 有没有 没有 是 的 地 得 了 着 过 和 与 及 或 或者 在 对 把 被 给 让 就 都 还 也 又 一下 一般 一定
多少 几 几个 几名 多久 多长 谁 请问 问下 问 想 想问 知道 不 么 嘛 呗 还是 已经 现在 今年 明年 去年 时候 啥时候 什么时候 几时 用 行 算 哦 嗯 了吗 么样 个 下 里 上 中 呢 吗
一 二 等 该 其 之 而 但 但是 如果 因为 所以 然后 以及 并 从 向 到 为 以 被 由 于 按 跟 同 比 得 会 应该 应 必须 可能 大概 具体 一般 比如 这些 那些 其他 另外 还有 再 才 只 只是 真的 直接
what whats what's which who when where how why is are was were the a an of to in for on by with do does did can could should would be been has have had and or it its this that these those there their any many much by under from into about me my our your you they them get got need needs needed require required tell please should shall must also than then there here now one ones we us i kind type number long what’s whats
still already yet if as just even only very too so such some all each every other others same again ever never always often else whether while since until though although because however just really actually`.split(/\s+/),
);

/** Punctuation and symbols never count as search terms. */
export const PUNCT_RE = /^[\s\p{P}\p{S}]+$/u;
