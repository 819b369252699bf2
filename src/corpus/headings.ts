/** Structural heading patterns shared by cleaning (do not join across a heading) and parsing. */
const CN_NUM = '[一二三四五六七八九十百零〇]+';

export const CHAPTER_RE = new RegExp(`^第(${CN_NUM})章\\s*(.*)$`);
export const ARTICLE_RE = new RegExp(`^第(${CN_NUM})条[\\s\u3000]*(.*)$`);
export const PART_RE = new RegExp(`^(${CN_NUM})、\\s*(.*)$`);
export const ITEM_RE = new RegExp(`^[（(]\\s*(${CN_NUM})\\s*[)）]\\s*(.*)$`);
export const NUMBERED_ROW_RE = /^(\d{1,2})[.．、]\s*(\S.*)$/;
export const ANNEX_RE = /^附\s*件\s*\d*\s*(?:[:：]\s*(.*))?$/;
export const INSTRUCTIONS_RE = /^填\s*表\s*说\s*明\s*$/;
export const INTERPRETATION_RE = /政策解读\s*$/;
/** A table header such as `指标 2020年 2025年 累计增加值 属性`. */
export const TABLE_HEADER_RE = /^\S+(\s+\d{4}\s*年){2,}/;
/** A table value row such as `91 100 9 预期性`. */
export const TABLE_VALUES_RE = /^[\d.%]+(\s+[\d.%]+)+(\s+\S+)?$/;

export function isHeadingStart(line: string): boolean {
  return (
    CHAPTER_RE.test(line) ||
    ARTICLE_RE.test(line) ||
    PART_RE.test(line) ||
    ITEM_RE.test(line) ||
    NUMBERED_ROW_RE.test(line) ||
    ANNEX_RE.test(line) ||
    INSTRUCTIONS_RE.test(line) ||
    TABLE_HEADER_RE.test(line)
  );
}

