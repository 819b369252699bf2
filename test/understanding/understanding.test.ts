import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../src/answer/conversation.js';
import type { QaServices } from '../../src/compose.js';
import { createQaServices } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { articleReference } from '../../src/understanding/article-reference.js';
import { isSmallTalk, splitQuestions, statedCounts, correctionBody, isCorrection, setAsidePart, startsAsContinuation } from '../../src/understanding/question-shape.js';
import { namedDocuments, namesUsed, withColloquialNames } from '../../src/understanding/document-names.js';
import { buildDomainModel } from '../../src/understanding/domain-model.js';
import { buildRightsProcedures } from '../../src/understanding/rights-procedure.js';
import { leadNoun } from '../../src/retrieval/lead-noun.js';
import { clipThread, resolveQuestion } from '../../src/understanding/resolve-question.js';
import { askedContact, askedUnit, classifyQuestion } from '../../src/retrieval/question-kind.js';
import { retrieve } from '../../src/retrieval/hybrid-retriever.js';
import { normalizeSpoken } from '../../src/retrieval/text-normalize.js';
import { asksForPoints, sectionPoints } from '../../src/answer/section-points.js';
import { bestSentence } from '../../src/answer/select-sentences.js';
import { ROOT, squash, tempDir } from '../helpers/paths.js';

/** An invented corpus (种子站 / 果园服务中心 / 山海省): mechanisms are tested here, never evaluation questions. */
export const FIXTURE_CORPUS = path.join(ROOT, 'test', 'fixtures', 'understanding-corpus');

let qa: QaServices;
beforeAll(async () => {
  qa = await createQaServices(loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR: FIXTURE_CORPUS, EMBEDDER: 'builtin' }), silentLogger);
});

describe('the thread a follow-up carries on', () => {
  it('keeps as much of an English question as of a Chinese one: a word counts as two characters', () => {
    const english = 'What does the orchard guideline say about seed stations serving small farms in the hills?';
    expect(clipThread(english, 80)).toBe(english);
    expect(clipThread(english, 10)).toBe('What does the orchard guideline');
    const chinese = '种子站'.repeat(40);
    expect([...clipThread(chinese, 80)].length).toBe(80);
  });
});

describe('reading the shape of a message', () => {
  it('tells small talk from a question that starts with a greeting', () => {
    for (const t of ['你好', '您好！', '谢谢啦', '好的，明白了', 'thanks a lot!', '你能做什么？', 'hi there', '拜拜', '行吧，谢了', '好嘞']) expect(isSmallTalk(t), t).toBe(true);
    for (const t of ['你好，种子站有效期几年', '谢谢，那果园中心呢？', '你能告诉我种子站要几个人吗']) expect(isSmallTalk(t), t).toBe(false);
  });

  it('finds clause references written in Chinese or Arabic numerals', () => {
    expect(articleReference('第6条讲啥')).toMatchObject({ kind: 'article', unit: '第六条' });
    expect(articleReference('第十八条呢')).toMatchObject({ kind: 'article', unit: '第十八条' });
    expect(articleReference('登记表第三部分写什么')).toMatchObject({ kind: 'form-part', unit: '三、' });
    expect(articleReference('计划（十二）说了啥')).toMatchObject({ kind: 'section', unit: '（十二）' });
    expect(articleReference('有效期几年')).toBeUndefined();
  });

  it('splits a message into its questions but keeps a short tag with its question', () => {
    expect(splitQuestions('种子站有效期几年？要交哪些材料')).toEqual(['种子站有效期几年？', '要交哪些材料']);
    expect(splitQuestions('种子站要几个专职人员，对吗？')).toHaveLength(1);
    // 同时/另外 start a new question only after a pause, not inside one (能同时备案几个).
    expect(splitQuestions('一个单位能同时备案几个种子站')).toHaveLength(1);
    expect(splitQuestions('种子站要几个人，另外有效期几年')).toHaveLength(2);
    expect(splitQuestions('Who leads the seed stations, and which fund pays for them?')).toEqual(['Who leads the seed stations', 'which fund pays for them?']);
    expect(splitQuestions('Do seed stations and orchard centres both need filing?')).toHaveLength(1);
  });

  it('knows what kind of figure a question asks for: an amount of money, a day', () => {
    const money = askedUnit('每年给种子站拨多少运行经费');
    expect(money?.test('每个种子站补助20万元')).toBe(true);
    expect(money?.test('配备3名及以上专职人员')).toBe(false);
    const day = askedUnit('年度总结截止到几号');
    expect(day?.test('应当于每年2月底前报送')).toBe(true);
    expect(day?.test('备案有效期为四年')).toBe(false);
  });

  it('knows when a contact is asked for, and that a form\'s contact field is not one', () => {
    expect(askedContact('系统登录网址发我下')?.test('登录 https://seed.example.cn 填报')).toBe(true);
    expect(askedContact('What is the email address of the seed office?')?.test('联系人邮箱：______')).toBe(false);
    expect(askedContact('What is the email address of the seed office?')?.test('材料发送至 seed@example.cn')).toBe(true);
    expect(askedContact('客服热线是多少')?.test('配备3名及以上专职人员')).toBe(false);
    expect(askedContact('登记表里要留啥联系方式')).toBeUndefined();
  });

  it('refuses a contact the corpus does not state, however well the rest is covered', async () => {
    const a = await qa.answers.answer('种子站备案材料交到哪个邮箱？邮箱地址是多少');
    expect(a).toMatchObject({ refused: true, citations: [] });
  });

  it('reads a demonstrative at the start as pointing back at the previous turn', () => {
    for (const t of ['这些材料交给谁', '这个要多久', '它归谁管', 'those rules apply to us?']) expect(startsAsContinuation(t), t).toBe(true);
    expect(startsAsContinuation('种子站有效期几年')).toBe(false);
  });

  it('reads corrections and the counts an asker gives about themselves', () => {
    expect(isCorrection('不对，我问的是果园服务中心')).toBe(true);
    expect(correctionBody('不对，我问的是果园服务中心')).toBe('果园服务中心');
    expect(statedCounts('我们有两个专职、5名兼职').map((c) => c.value)).toEqual([2, 5]);
    expect(statedCounts('我们是一家检索公司，有一个专职').map((c) => c.value)).toEqual([1]);
  });
});

describe('what the corpus itself says about its documents and clauses', () => {
  it('recognises a document by the English name the manifest gives it', () => {
    const index = qa.index;
    const model = buildDomainModel({ docs: index.docs, programmes: [], words: (t) => index.tokenizer.words(t), tagged: (t) => index.tokenizer.tagged(t), documentFrequency: (w) => index.wordIndex.documentFrequency(w), bodies: [], english: index.lexicon.english });
    expect([...namedDocuments('What does the Orchard Guideline say about renewal?', model.documents).keys()]).toEqual(['orchard-guideline']);
    expect(namedDocuments('What does it say about renewal?', model.documents).size).toBe(0);
    // 工作 is in the orchard guideline's title (登记工作指引) but every document uses it: it names nothing.
    expect(namedDocuments('种子站工作总结什么时候交', model.documents).has('orchard-guideline')).toBe(false);
    expect(namedDocuments('指引里怎么说', model.documents).has('orchard-guideline')).toBe(true);
  });

  it('names a programme\'s document by the everyday word the lexicon reads as one of its keywords', () => {
    const index = qa.index;
    // 园站: a made-up everyday name sharing no word with any title.
    const synonyms = new Map([['园站', ['果园服务中心']], ['收钱', ['收取费用']]]);
    const keywords = withColloquialNames(['果园服务中心'], synonyms);
    expect(keywords).toEqual(['果园服务中心', '园站']);
    const model = buildDomainModel({ docs: index.docs, programmes: [{ id: 'orchard', doc: 'orchard-guideline', keywords }], words: (t) => index.tokenizer.words(t), tagged: (t) => index.tokenizer.tagged(t), documentFrequency: (w) => index.wordIndex.documentFrequency(w), bodies: [], english: index.lexicon.english });
    expect([...namedDocuments('那园站呢', model.documents).keys()]).toEqual(['orchard-guideline']);
  });

  it('names a document by its programme\'s English keyword, which still counts as what is asked about', () => {
    const index = qa.index;
    const model = buildDomainModel({ docs: index.docs, programmes: [{ id: 'orchard', doc: 'orchard-guideline', keywords: ['果园服务中心', 'fruit centre'] }], words: (t) => index.tokenizer.words(t), tagged: (t) => index.tokenizer.tagged(t), documentFrequency: (w) => index.wordIndex.documentFrequency(w), bodies: [], english: index.lexicon.english });
    expect([...namedDocuments('and for fruit centres?', model.documents).keys()]).toEqual(['orchard-guideline']);
    // The manifest's English name of the text is left out of what is judged; the programme's keyword is not.
    expect(namesUsed('What does the orchard guideline say about fruit centres?', model.documents)).toEqual(['orchard guideline']);
  });

  it('leaves the referent of a demonstrative to the thread and searches what is asked now', () => {
    const index = qa.index;
    const model = buildDomainModel({ docs: index.docs, programmes: [], words: (t) => index.tokenizer.words(t), tagged: (t) => index.tokenizer.tagged(t), documentFrequency: (w) => index.wordIndex.documentFrequency(w), bodies: [], english: index.lexicon.english });
    const context = { query: '种子站备案材料包括哪些', doc: 'seed-measures', articles: ['第四条'], at: '2026-01-01T00:00:00Z' };
    const r = resolveQuestion('这些材料谁来审核', model, context);
    expect(r.relation).toBe('follow-up');
    expect(r.body).toBe('谁来审核');
    expect(r.query).toContain('种子站备案材料');
  });

  it('reads what a lead-in announces from the clause itself', () => {
    const chunk = (text: string, item?: string, heading = ''): Parameters<typeof leadNoun>[0] => ({
      id: 'x',
      locator: { doc: 'd', title: 't', article: '第五条', label: `第五条${item ?? ''}`, ...(item ? { item } : {}) },
      text,
      searchText: text,
      headingPath: ['t', heading],
      kind: item ? 'item' : 'article',
    });
    expect(leadNoun(chunk('第五条 申请备案的种子站应当具备下列条件：\n（一）为独立法人单位'), qa.index.tokenizer)).toBe('条件');
    expect(leadNoun(chunk('第四条 种子站备案材料包括：'), qa.index.tokenizer)).toBe('材料');
    expect(leadNoun(chunk('（一）为独立法人单位', '第（一）项', '第五条 申请备案的种子站应当具备下列条件：'), qa.index.tokenizer)).toBe('条件');
    expect(leadNoun(chunk('第六条 种子站备案有效期为四年。'), qa.index.tokenizer)).toBeUndefined();
  });
});

describe('answers on an invented corpus', () => {
  it('leads with the clause that states the fact and cites it verbatim', async () => {
    const a = await qa.answers.answer('种子站要配几名专职人员');
    expect(a.kind).toBe('answer');
    expect(a.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第三条' });
    expect(squash(a.answer).slice(0, 300)).toContain('3名及以上专职人员');
  });

  it('prefers the document the question names by its genre word, province or number', async () => {
    const guideline = await qa.answers.answer('指引里登记有效期多长');
    expect(guideline.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第六条' });
    const plan = await qa.answers.answer('17号文对人才培训有什么安排');
    expect(plan.citations[0]?.doc).toBe('hills-plan');
  });

  it('answers each part of a two-part question with its own clause in the first 300 characters', async () => {
    const a = await qa.answers.answer('种子站备案有效期几年？年度总结几月底前交');
    const lead = squash(a.answer).slice(0, 300);
    expect(lead).toContain('有效期为四年');
    expect(lead).toContain('2月底前');
    expect(a.citations.map((c) => c.article)).toEqual(expect.arrayContaining(['第六条', '第七条']));
  });

  it('starts a yes/no answer with the yes or no its clause gives, then the clause', async () => {
    const a = await qa.answers.answer('我们是果园服务中心，已经登记了，还要做种子站备案吗');
    expect(a.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第九条' });
    expect(a.answer.startsWith('不需要。')).toBe(true);
  });

  it('answers why a document was made from the article that states its purpose', async () => {
    const a = await qa.answers.answer('果园服务中心登记工作指引是为了达到啥目的出台的');
    expect(a.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第一条' });
  });

  it('greets and thanks without refusing or citing', async () => {
    for (const t of ['你好', '谢谢！']) {
      const a = await qa.answers.answer(t);
      expect(a.kind).toBe('smalltalk');
      expect(a.refused).toBe(false);
      expect(a.citations).toEqual([]);
      expect(a.answer).not.toContain('没有找到');
    }
  });

  it('says "not stated" with the nearest clause when the subject is regulated but the detail is not', async () => {
    const a = await qa.answers.answer('种子站公示要几天');
    expect(a).toMatchObject({ refused: true, kind: 'not_stated', citations: [] });
    expect(a.nearest?.some((c) => c.doc === 'seed-measures' && c.article === '第五条')).toBe(true);
    expect(a.answer).toContain('没有明确规定');
  });

  it('says "not stated" when asked whether a rare thing exists and the answering clause does not name it', async () => {
    // 培训基地 is in one clause of the corpus (the plan's training), not in the seed-station clauses.
    const absent = await qa.answers.answer('种子站备案后国家农业知识局会发培训基地吗');
    expect(absent).toMatchObject({ refused: true, citations: [] });
    const present = await qa.answers.answer('果园服务中心以后有培训基地吗');
    expect(present.refused).toBe(false);
    expect(present.citations[0]?.quote).toContain('培训基地');
  });

  it('says "not covered" for another province or an unrelated subject, citing nothing', async () => {
    for (const q of ['河北省的种子站要几名专职人员', '明天会下雨吗，要带伞吗', '河北省的种子站要几名专职人员？要交哪些材料']) {
      const a = await qa.answers.answer(q);
      expect(a, q).toMatchObject({ refused: true, kind: 'not_covered', citations: [] });
    }
  });
});

describe('a message of several questions', () => {
  it('leads each question with its own sentence, even when both are answered by one clause', async () => {
    // The second question's own words are few: the thread leads it back to the first one's sentence.
    const a = await qa.answers.answer('已登记的果园服务中心还要备案种子站吗？备案这块还有啥限制');
    // Each lead is the line before its citation (——《…》); the verbatim clause follows the leads.
    const leads = squash(a.answer).split('——').slice(0, 2);
    expect(leads[0]).toContain('不需要进行种子站备案');
    expect(leads[1]).toMatch(/^《[^》]+》第九条2\.种子站不得以备案名义收取费用/);
  });
});

describe('a question that starts by describing the asker', () => {
  it('is answered about what is asked, not about who asks', async () => {
    // 农技推广站 is listed in 第二条; what is asked is the validity period (第六条).
    const a = await qa.answers.answer('我们是农技推广站，20年备案的种子站，有效期满了以后咋办');
    expect(a.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第六条' });
  });
});

describe('the sentence an answer leads with', () => {
  it('is never a section\'s numbered title alone', () => {
    const text = '（十五）开展种子站服务信息采集工作。广泛采集农户的问题需求，定期报送采集情况。';
    expect(bestSentence(text, [{ term: '采集', weight: 1 }], 'general')).toBe(text);
    expect(bestSentence('（二）种植技术咨询服务。', [], 'general')).toBe('（二）种植技术咨询服务。');
  });

  it('is an item rather than the lead-in announcing the items, unless the list itself is asked', () => {
    const text = '第五条 申请备案的种子站应当具备下列条件：\n（一）配备3名及以上专职人员和若干兼职人员。\n（二）具有检索设备。';
    const terms = [{ term: '种子站', weight: 2 }, { term: '条件', weight: 2 }, { term: '兼职人员', weight: 1 }];
    expect(bestSentence(text, terms, 'general')).toBe('（一）配备3名及以上专职人员和若干兼职人员。');
    expect(bestSentence(text, terms, 'list')).toContain('下列条件：');
  });
});

describe('whom a body serves', () => {
  it('is answered by the clause saying 面向…, and the frame words are not the subject', async () => {
    expect(classifyQuestion('种子站的服务对象是谁')).toBe('served');
    const a = await qa.answers.answer('种子站的服务对象是谁');
    expect(a.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第二条' });
    expect(squash(a.answer).slice(0, 300)).toContain('面向农户和合作社');
  });
});

describe('what the asker sets aside', () => {
  it('is not what the answer leads with', async () => {
    const a = await qa.answers.answer('除了已登记的果园服务中心不用备案，种子站备案还有啥禁止的');
    expect(squash(a.answer).split('——')[0]).toBe('种子站不得以备案名义收取费用。');
    expect(setAsidePart('除了省内的种子站以外，别的省呢')).toBe('省内的种子站');
    expect(setAsidePart('种子站要几个人')).toBe('');
  });
});

describe('a section written as run-in heads', () => {
  it('answers "which points" with the heads of its paragraphs, each verbatim', async () => {
    const a = await qa.answers.answer('计划里的工作原则有哪几条');
    const lead = squash(a.answer).split('——')[0] ?? '';
    for (const head of ['农户为本，服务为先。', '统筹布局，分级建设。', '开放共享，协同推进。']) expect(lead).toContain(head);
    expect(a.citations[0]).toMatchObject({ doc: 'hills-plan', article: '二、（五）' });
  });

  it('reads prose, and a question about one point, as before', () => {
    expect(sectionPoints(['（三）建设数据平台。', '汇集果树品种、病虫害和市场行情信息，向果农和合作社免费开放查询服务。', '加强平台运维。每年更新数据两次，保证数据准确完整。'])).toBeUndefined();
    const points = sectionPoints(['（五）工作原则。', '农户为本，服务为先。坚持把农户需求放在首位，提升服务的可及性。', '统筹布局，分级建设。按照省、市、县三级布局果园服务中心。']);
    expect(points?.points).toEqual(['农户为本，服务为先。', '统筹布局，分级建设。']);
    expect(asksForPoints('工作原则有哪几条', '（五）工作原则。')).toBe(true);
    expect(asksForPoints('工作原则里分级建设是啥意思', '（五）工作原则。')).toBe(false);
    expect(classifyQuestion('发展目标分哪几个方面')).toBe('list');
    expect(classifyQuestion('要配几个专职人员')).toBe('number');
    // The basis of a document is asked like its purpose, and answered by the same clause.
    expect(classifyQuestion('种子站办法是根据哪些上位文件定的')).toBe('purpose');
    expect(classifyQuestion('种子站办法为啥出台')).toBe('purpose');
  });
});

describe('questions about obtaining an IP right', () => {
  it('are not covered: the corpus lists the rights its services concern, not how to obtain them', async () => {
    const a = await qa.answers.answer('植物新品种权转让要交哪些材料');
    expect(a).toMatchObject({ refused: true, kind: 'not_covered', citations: [] });
    expect(a.trace?.parts[0]?.reason).toBe('rights_procedure');
    // Asking about the information service for the same right is the corpus's subject.
    const service = await qa.answers.answer('果园服务中心提供植物新品种信息查询吗');
    expect(service).toMatchObject({ refused: false, kind: 'answer' });
    expect(service.citations[0]).toMatchObject({ doc: 'hills-plan', article: '二、（四）' });
  });

  it('reads the categories from the corpus and spares a question naming a body of the programmes', () => {
    const index = qa.index;
    const rights = buildRightsProcedures(index.docs, (t) => index.tokenizer.words(t).at(-1) ?? t);
    expect(rights.categories).toContain('植物新品种');
    const bodies = ['果园服务中心', '种子站'];
    expect(rights.asksRightsProcedure('植物新品种权转让找谁办', bodies, index.lexicon.english)).toBe(true);
    expect(rights.asksRightsProcedure('PCT国际申请走哪个系统', bodies, index.lexicon.english)).toBe(true);
    expect(rights.asksRightsProcedure('How do I renew a trademark registration?', bodies, new Map([['trademark', ['商标']], ['registration', ['注册']]]))).toBe(true);
    expect(rights.asksRightsProcedure('种子站能帮农户办植物新品种申请吗', bodies, index.lexicon.english)).toBe(false);
    expect(rights.asksRightsProcedure('种子站备案申请表怎么填', bodies, index.lexicon.english)).toBe(false);
  });
});

describe('what a question is about', () => {
  it('is not the frame asking what the documents say, nor a spoken locative', async () => {
    const r = await retrieve(qa.index, '县里建果园服务中心有政策依据吗');
    expect(r.contentTerms).toContain('果园');
    for (const frame of ['政策', '依据', '县里']) expect(r.contentTerms).not.toContain(frame);
    expect(normalizeSpoken('省里的果园服务中心')).toBe('省的果园服务中心');
  });
});

describe('what a follow-up asks', () => {
  it('is read from its own words when they ask something (谁 after 啥时候)', async () => {
    const r = await retrieve(qa.index, '由谁审核 种子站备案材料啥时候交', 8, { ownWords: '由谁审核' });
    expect(r.kind).toBe('who');
    const bare = await retrieve(qa.index, '那果园服务中心呢 种子站备案材料啥时候交', 8, { ownWords: '那果园服务中心呢' });
    expect(bare.kind).toBe('time');
  });
});

describe('a follow-up that switches programme', () => {
  it('is answered from that programme\'s document, however well the previous one\'s words match', async () => {
    // The thread still carries the seed-station question; the counterpart in the orchard guideline is wanted.
    const r = await retrieve(qa.index, '那果园服务中心呢 种子站备案要公示吗 公示无异议后予以备案', 8, { analogue: { doc: 'orchard-guideline', text: '第五条 种子站备案程序：种子站向所在地农业厅提交材料，国家农业知识局审核并进行公示。' } });
    expect(r.ranked.length).toBeGreaterThan(0);
    expect(r.ranked.every((x) => x.chunk.locator.doc === 'orchard-guideline')).toBe(true);
  });
});

describe('conversation context', () => {
  it('reads a follow-up against the previous turn and switches programme when one is named', async () => {
    const talk = createConversation(qa.answers);
    await talk.ask('u1', '种子站要配几名专职人员');
    const next = await talk.ask('u1', '那果园服务中心呢？');
    expect(next.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第三条' });
    expect(squash(next.answer).slice(0, 300)).toContain('7名及以上');
  });

  it('finds the counterpart clause when the follow-up names only another programme', async () => {
    const talk = createConversation(qa.answers);
    const first = await talk.ask('u6', '种子站得是独立法人吗');
    expect(first.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第三条' });
    // The orchard clause shares no word with the question; it is the one that regulates the same thing (staff, knowledge).
    const next = await talk.ask('u6', '那果园服务中心呢');
    expect(next.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第三条' });
  });

  it('takes a bare clause number from the document of the conversation', async () => {
    const talk = createConversation(qa.answers);
    await talk.ask('u2', '果园服务中心登记有效期多久');
    const next = await talk.ask('u2', '第七条呢');
    expect(next.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第七条' });
  });

  it('re-asks the previous question for what a correction names', async () => {
    const talk = createConversation(qa.answers);
    const first = await talk.ask('u3', '种子站的有效期是几年');
    expect(first.citations[0]?.doc).toBe('seed-measures');
    const fixed = await talk.ask('u3', '不对，我问的是果园服务中心');
    expect(fixed.citations[0]).toMatchObject({ doc: 'orchard-guideline', article: '第六条' });
  });

  it('starts over on a complete new question, and keeps conversations apart', async () => {
    const talk = createConversation(qa.answers);
    await talk.ask('u4', '果园服务中心要几名专兼职人员');
    // Another user's "那…呢" has no thread of its own: it is not read as the orchard question.
    const other = await talk.ask('u5', '那种子站呢');
    expect(other.citations.every((c) => c.doc !== 'orchard-guideline')).toBe(true);
    const fresh = await talk.ask('u4', '种子站年度工作总结什么时候交');
    expect(fresh.citations[0]).toMatchObject({ doc: 'seed-measures', article: '第七条' });
  });
});
