import { normalizeForSearch } from '../retrieval/text-normalize.js';
import { splitSentences } from './select-sentences.js';

/** A section written as run-in heads: its heading line and the head of each paragraph, verbatim. */
export interface SectionPoints {
  heading: string;
  points: string[];
}

/** A run-in head is a short first sentence the paragraph then develops (政府主导，多元参与。正确处理…). */
const HEAD_CHARS = { min: 4, max: 24 };
/** Most paragraphs must open with one: a prose section whose first paragraph happens to is not a list. */
const HEADED_SHARE = 2 / 3;

/**
 * The points of a section whose paragraphs open with run-in heads (基本原则: 政府主导，多元参与。…;
 * 主要特点: 一是坚持对标对表。…), read from its text (the chunks of one locator, in order).
 */
export function sectionPoints(texts: readonly string[]): SectionPoints | undefined {
  const [heading = '', ...paragraphs] = texts.join('\n').split('\n').map((l) => l.trim()).filter(Boolean);
  const points = paragraphs.flatMap((p) => {
    const [first = ''] = splitSentences(p);
    const chars = [...first.replace(/\s/g, '')].length;
    return first.endsWith('。') && chars >= HEAD_CHARS.min && chars <= HEAD_CHARS.max && [...p].length > chars + 10 ? [first] : [];
  });
  if (points.length < 2 || points.length < paragraphs.length * HEADED_SHARE) return undefined;
  return { heading, points };
}

/** Asking which points something has: 哪几条, 哪几个方面, 有哪些特点, 分别是, what are the … */
const ASKS_POINTS_RE = /(哪几|哪些|几个方面|几方面|几条|几点|分别是|都有什么|有啥|what are|which)/i;

/**
 * The question asks for the points of this section: it asks which, and names the section's heading
 * (基本原则, 主要特点, 发展目标: the heading without its number).
 */
export function asksForPoints(question: string, heading: string): boolean {
  const name = normalizeForSearch(heading.replace(/^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])/, '').replace(/[。：:\s]+$/, ''));
  const q = normalizeForSearch(question);
  return name.length >= 2 && q.includes(name) && ASKS_POINTS_RE.test(q);
}
