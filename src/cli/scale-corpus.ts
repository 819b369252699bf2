import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isoDate } from '../core/dates.js';
import { seededRandom } from '../retrieval/linear-algebra.js';

/**
 * The scale corpus of the bench (issue 14): the seed documents plus provincial and city variants of
 * them, as offices publish them — the same structure under another issuer, region, year, numbers
 * and document number, some shortened; a later edition repeals the earlier one of the same
 * jurisdiction. Deterministic: the same count gives the same files, byte for byte.
 */

/** Provincial-level divisions with the suffix of their full name (geography). */
const PROVINCES: Array<[short: string, full: string]> = [
  ['北京', '北京市'], ['天津', '天津市'], ['上海', '上海市'], ['重庆', '重庆市'], ['河北', '河北省'], ['山西', '山西省'], ['辽宁', '辽宁省'],
  ['吉林', '吉林省'], ['黑龙江', '黑龙江省'], ['江苏', '江苏省'], ['浙江', '浙江省'], ['安徽', '安徽省'], ['福建', '福建省'], ['江西', '江西省'],
  ['山东', '山东省'], ['河南', '河南省'], ['湖北', '湖北省'], ['湖南', '湖南省'], ['广东', '广东省'], ['海南', '海南省'], ['四川', '四川省'],
  ['贵州', '贵州省'], ['云南', '云南省'], ['陕西', '陕西省'], ['甘肃', '甘肃省'], ['青海', '青海省'], ['内蒙古', '内蒙古自治区'],
  ['广西', '广西壮族自治区'], ['西藏', '西藏自治区'], ['宁夏', '宁夏回族自治区'], ['新疆', '新疆维吾尔自治区'],
];

/** Provincial capitals, for city-level variants: [city, province short name]. */
const CITIES: Array<[city: string, province: string]> = [
  ['广州', '广东'], ['杭州', '浙江'], ['南京', '江苏'], ['成都', '四川'], ['武汉', '湖北'], ['西安', '陕西'], ['济南', '山东'], ['郑州', '河南'],
  ['长沙', '湖南'], ['福州', '福建'], ['合肥', '安徽'], ['南昌', '江西'], ['沈阳', '辽宁'], ['长春', '吉林'], ['哈尔滨', '黑龙江'], ['石家庄', '河北'],
  ['太原', '山西'], ['昆明', '云南'], ['贵阳', '贵州'], ['南宁', '广西'], ['海口', '海南'], ['兰州', '甘肃'], ['西宁', '青海'], ['银川', '宁夏'],
];

interface Jurisdiction {
  /** ascii code for ids */
  code: string;
  region: string;
  level: 'provincial' | 'city';
  /** how the issuer and titles name it */
  name: string;
  issuer: string;
  abbreviation: string;
}

const JURISDICTIONS: Jurisdiction[] = [
  ...PROVINCES.map(([short, full], i): Jurisdiction => ({ code: `p${i + 1}`, region: short, level: 'provincial', name: full, issuer: `${full}知识产权局`, abbreviation: short.slice(0, 1) })),
  ...CITIES.map(([city, province], i): Jurisdiction => ({ code: `c${i + 1}`, region: province, level: 'city', name: `${city}市`, issuer: `${city}市市场监督管理局`, abbreviation: city.slice(0, 1) })),
];

interface SeedEntry {
  id: string;
  file: string;
  title: string;
  [key: string]: unknown;
}

export interface ScaleCorpus {
  dir: string;
  documents: number;
  bytes: number;
}

/**
 * Writes `count` documents (the seed corpus's among them, unchanged) with a manifest into `dir`,
 * and copies the seed corpus's lexicon and programme data so the bot runs on it as on the seed.
 */
export async function writeScaleCorpus(seedDir: string, dir: string, count: number): Promise<ScaleCorpus> {
  const manifest = JSON.parse(await readFile(path.join(seedDir, 'manifest.json'), 'utf8')) as { about?: string; documents: SeedEntry[] };
  const seeds = manifest.documents;
  const texts = await Promise.all(seeds.map((s) => readFile(path.join(seedDir, s.file), 'utf8')));
  await mkdir(dir, { recursive: true });
  for (const sub of ['lexicon', 'programmes', path.join('programmes', 'forms')]) await copyTree(path.join(seedDir, sub), path.join(dir, sub));
  let bytes = 0;
  for (const [i, s] of seeds.entries()) {
    await writeFile(path.join(dir, s.file), texts[i] ?? '');
    bytes += Buffer.byteLength(texts[i] ?? '');
  }
  const entries: SeedEntry[] = [...seeds];
  const rand = seededRandom(2026);
  for (let n = 0; entries.length < count; n++) {
    const seedIndex = n % seeds.length;
    const seed = seeds[seedIndex];
    const text = texts[seedIndex];
    const slot = Math.floor(n / seeds.length);
    const jurisdiction = JURISDICTIONS[slot % JURISDICTIONS.length];
    if (!seed || text === undefined || !jurisdiction) throw new Error('scale corpus: no seed documents');
    // A provincial seed document is not re-issued in its own region: the bench asks for the seed there.
    if (seed['region'] === jurisdiction.region) continue;
    const edition = Math.floor(slot / JURISDICTIONS.length);
    const year = 2019 + (edition % 8);
    const id = `${seed.id}-${jurisdiction.code}-${year}${edition >= 8 ? `-${Math.floor(edition / 8)}` : ''}`;
    // Each later year's edition repeals the one before; past eight editions a new series starts (another instrument number).
    const previous = edition % 8 > 0 ? entries.find((e) => e['variant_of'] === seed.id && e['region_code'] === jurisdiction.code && e['edition'] === edition - 1) : undefined;
    const number = `${jurisdiction.abbreviation}知发〔${year}〕${1 + Math.floor(rand() * 60)}号`;
    const body = variantText(text, seed, jurisdiction, year, number, rand);
    const file = `${id}.txt`;
    await writeFile(path.join(dir, file), body);
    bytes += Buffer.byteLength(body);
    const issued = isoDate(year, 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28));
    entries.push({
      id,
      file,
      title: variantTitle(seed.title, jurisdiction, year),
      issuer: jurisdiction.issuer,
      region: jurisdiction.region,
      level: jurisdiction.level,
      document_number: number,
      issued,
      effective: issued,
      ...(previous ? { repeals: [previous.id] } : {}),
      variant_of: seed.id,
      region_code: jurisdiction.code,
      edition,
    });
  }
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ about: `scale corpus: ${count} documents generated from the seed corpus`, documents: entries }, null, 1));
  return { dir, documents: entries.length, bytes };
}

function variantTitle(title: string, j: Jurisdiction, year: number): string {
  const named = title.replace(/国家知识产权局/g, j.issuer).replace(/国家/g, j.name).replace(/广东省|广东/g, j.name).replace(/地市级/g, j.level === 'city' ? '' : '地市级');
  const withPlace = named.includes(j.name) ? named : `${j.name}${named}`;
  return withPlace.replace(/20\d\d/g, (y) => String(Number(y) - 2023 + year));
}

/** The seed text as another office would issue it: names, years, numbers and length changed. */
function variantText(text: string, seed: SeedEntry, j: Jurisdiction, year: number, number: string, rand: () => number): string {
  const shift = year - (typeof seed['year'] === 'number' ? seed['year'] : 2023);
  let out = text
    .replace(/国家知识产权局/g, j.issuer)
    .replace(/国家知识产权信息公共服务网点/g, `${j.name}知识产权信息公共服务网点`)
    .replace(/广东省/g, j.name)
    .replace(/广东/g, j.region)
    .replace(/国知(办)?发服字〔\d{4}〕\d+号/g, number)
    .replace(/20\d\d(?=年|—|-)/g, (y) => String(Number(y) + shift))
    .replace(/(\d+)(?=名|家|个|%|人)/g, (n) => String(Math.max(1, Math.round(Number(n) * (0.6 + rand() * 0.8)))));
  // Some offices issue shorter versions: keep a prefix of whole lines, never under 3 KB.
  if (rand() < 0.4) {
    const lines = out.split('\n');
    const keep = Math.ceil(lines.length * (0.3 + rand() * 0.6));
    const short = lines.slice(0, keep).join('\n');
    if (Buffer.byteLength(short) >= 3072) out = short;
  }
  return out;
}

async function copyTree(from: string, to: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch {
    return;
  }
  await mkdir(to, { recursive: true });
  for (const e of entries) if (e.isFile()) await copyFile(path.join(from, e.name), path.join(to, e.name));
}
