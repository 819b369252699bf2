import type { AnswerTrace } from '../answer/types.js';
import type { LoggedQuestion } from '../storage/question-log-repository.js';
import type { InstitutionSummary } from '../storage/institution-repository.js';
import type { ConsoleLang, ConsoleText } from './console-texts.js';
import { CSS, Html, html, table } from './html.js';
import type { ReportSection } from './report-sections.js';
import { fill } from '../core/text.js';

export interface PageContext {
  t: ConsoleText;
  lang: ConsoleLang;
  csrf: string;
  operator: string;
  path: string;
}

const NAV: Array<[string, string]> = [
  ['/report', 'nav_report'],
  ['/conversations', 'nav_conversations'],
  ['/hit-test', 'nav_hit_test'],
  ['/corpus', 'nav_corpus'],
  ['/institutions', 'nav_institutions'],
];

export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

export function layout(c: PageContext, title: string, body: Html, notice?: { ok: boolean; text: string }): string {
  const other = c.lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html><html lang="${c.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · ${c.t['title']}</title><style>${new Html(CSS)}</style></head>
<body><header><strong>${c.t['title']}</strong>${NAV.map(([href, key]) => html`<a href="${href}" class="${c.path.startsWith(href) ? 'on' : ''}">${c.t[key]}</a>`)}
<a href="/lang?to=${other}&amp;back=${encodeURIComponent(c.path)}">${other === 'en' ? 'English' : '中文'}</a>
<form method="post" action="/logout">${csrfField(c.csrf)}<span class="muted">${c.operator}</span> <button>${c.t['logout']}</button></form></header>
<main>${notice ? html`<p class="${notice.ok ? 'ok' : 'error'}" role="status">${notice.text}</p>` : ''}${body}</main></body></html>`.value;
}

export function loginPage(t: ConsoleText, lang: ConsoleLang, csrf: string, next: string, error?: string): string {
  return html`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${t['login_title']}</title><style>${new Html(CSS)}</style></head>
<body><main><section style="max-width:22rem;margin:4rem auto"><h1>${t['login_title']}</h1>${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">${csrfField(csrf)}<input type="hidden" name="next" value="${next}">
<p><label>${t['login_name']}<br><input name="name" autocomplete="username" required></label></p>
<p><label>${t['login_password']}<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button>${t['login_submit']}</button></p></form></section></main></body></html>`.value;
}

export function reportPage(c: PageContext, heading: string, query: { from: string; to: string; region?: string }, regions: string[], sections: ReportSection[]): Html {
  const qs = new URLSearchParams({ from: query.from, to: query.to, ...(query.region ? { region: query.region } : {}) }).toString();
  return html`<section><form method="get" action="/report">
<label>${c.t['period']} <input type="date" name="from" value="${query.from}"> – <input type="date" name="to" value="${query.to}"></label>
<label>${c.t['region']} <select name="region"><option value="">${c.t['all_regions']}</option>${regions.map((r) => html`<option ${r === query.region ? 'selected' : ''}>${r}</option>`)}</select></label>
<button>${c.t['apply']}</button> <a href="/report.xlsx?${qs}">${c.t['export_xlsx']}</a> · <a href="/report.docx?${qs}">${c.t['export_docx']}</a></form>
<h1>${heading}</h1><p class="muted">${c.t['report_basis']}</p></section>
${sections.map((s, i) => html`<section id="s${i}"><h2>${s.title}</h2>${s.chart && s.rows.length > 0 ? html`<figure>${new Html(s.chart())}</figure>` : ''}${table(s.headers, s.rows)}</section>`)}`;
}

export function conversationsPage(c: PageContext, q: Record<string, string>, channels: readonly string[], rows: LoggedQuestion[]): Html {
  const kinds = ['answer', 'not_stated', 'not_covered', 'smalltalk'];
  return html`<section><form method="get" action="/conversations">
<label>${c.t['text']} <input name="text" value="${q['text'] ?? ''}"></label>
<label>${c.t['date']} <input type="date" name="from" value="${q['from'] ?? ''}"> – <input type="date" name="to" value="${q['to'] ?? ''}"></label>
<label>${c.t['channel']} <select name="channel"><option value="">${c.t['any']}</option>${channels.map((ch) => html`<option ${ch === q['channel'] ? 'selected' : ''}>${ch}</option>`)}</select></label>
<label>${c.t['outcome']} <select name="kind"><option value="">${c.t['any']}</option>${kinds.map((k) => html`<option value="${k}" ${k === q['kind'] ? 'selected' : ''}>${kindName(c.t, k)}</option>`)}</select></label>
<button>${c.t['search']}</button></form></section>
<section>${table([c.t['date'] ?? '', c.t['channel'] ?? '', c.t['question'] ?? '', c.t['outcome'] ?? '', c.t['topic'] ?? ''], rows.map((r) => [r.askedAt.slice(0, 16).replace('T', ' '), r.channel, html`<a href="/conversations/${r.id}">${r.question}</a>`, kindName(c.t, r.kind), r.topic ?? '']))}</section>`;
}

export function traceView(t: ConsoleText, trace: AnswerTrace | undefined, titleOf: (doc: string) => string, programmeOf: (id: string) => string = (id) => id): Html {
  if (!trace) return html`<p class="muted">${t['no_trace']}</p>`;
  return html`<p>${t['threshold']}: ${trace.threshold.toFixed(2)} · ${t['programme']}: ${trace.programme ? programmeOf(trace.programme) : '—'} · ${t['topic']}: ${trace.topic ?? '—'}${trace.region ? ` · ${t['region']}: ${trace.region}` : ''}</p>
${trace.parts.map(
  (p) => html`<h3>${p.question}</h3><p>${t['query']}: <code>${p.query}</code> · ${t['relation']}: ${p.relation}${p.documents.length ? html` · ${t['named_documents']}: ${p.documents.map((d) => `${titleOf(d.doc)} (${d.weight.toFixed(2)})`).join('、')}` : ''}</p>
<p><strong>${t['reason']}: ${t[`reason_${p.reason}`]}</strong> (${t['confidence']} ${p.confidence.toFixed(3)} / ${t['threshold']} ${trace.threshold.toFixed(2)})</p>
${table(['#', t['clause'] ?? '', t['score'] ?? ''], p.ranked.map((r, i) => [i + 1, `《${titleOf(r.doc)}》${r.article}`, html`<span class="num">${r.score.toFixed(3)}</span>`]), 'class="ranked"')}`,
)}`;
}

const KIND_KEYS: Record<string, string> = { answer: 'answered', not_stated: 'not_stated', not_covered: 'not_covered', smalltalk: 'smalltalk' };
const kindName = (t: ConsoleText, kind: string | null): string => (kind ? (t[KIND_KEYS[kind] ?? kind] ?? kind) : '');

export function conversationPage(c: PageContext, q: LoggedQuestion, titleOf: (doc: string) => string, programmeOf?: (id: string) => string): Html {
  return html`<section><h1>${q.question}</h1><p class="muted">${q.askedAt} · ${q.channel} · ${kindName(c.t, q.kind)}${q.feedback ? ` · ${c.t['feedback']}: ${q.feedback}${q.feedbackReasons ? ` (${q.feedbackReasons})` : ''}` : ''}</p>
<h2>${c.t['answer']}</h2><pre>${q.answer ?? ''}</pre>
<h2>${c.t['citations']}</h2><ul>${q.citations.map((x) => html`<li>《${titleOf(x.doc)}》${x.article}</li>`)}</ul>
<h2>${c.t['why']}</h2>${traceView(c.t, q.trace as AnswerTrace | undefined, titleOf, programmeOf)}</section>`;
}

export function hitTestPage(c: PageContext, question: string, result?: { answer: string; citations: Array<{ doc: string; article: string }>; trace?: AnswerTrace; kind: string }, titleOf?: (doc: string) => string, programmeOf?: (id: string) => string): Html {
  const title = titleOf ?? ((d: string) => d);
  return html`<section><p class="muted">${c.t['hit_test_help']}</p><form method="get" action="/hit-test"><input name="q" value="${question}" size="60" required> <button>${c.t['ask']}</button></form></section>
${result ? html`<section id="result"><h2>${c.t['answer']}（${kindName(c.t, result.kind)}）</h2><pre>${result.answer}</pre><ul>${result.citations.map((x) => html`<li>《${title(x.doc)}》${x.article}</li>`)}</ul><h2>${c.t['why']}</h2>${traceView(c.t, result.trace, title, programmeOf)}</section>` : ''}`;
}

export function corpusPage(c: PageContext, docs: Array<{ id: string; title: string; articles: number; locators: string[] }>, audit: Array<{ operator: string; action: string; detail: string | null; at: string }>): Html {
  return html`<section><h2>${c.t['upload']}</h2><p class="muted">${c.t['upload_help']}</p>
<form method="post" action="/corpus/upload" enctype="multipart/form-data">${csrfField(c.csrf)}<label>${c.t['upload_id']} <input name="id" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{1,63}" required></label> <input type="file" name="file" required> <button>${c.t['preview']}</button></form>
<form method="post" action="/corpus/reindex">${csrfField(c.csrf)}<button>${c.t['reindex']}</button></form></section>
<section><h2>${fill(c.t['corpus_docs'] ?? '', { n: docs.length })}</h2>${table(
    [c.t['doc_id'] ?? '', c.t['doc_title'] ?? '', c.t['articles'] ?? '', c.t['locators'] ?? '', ''],
    docs.map((d) => [d.id, d.title, d.articles, html`<details><summary>${d.locators.slice(0, 3).join('、')}…</summary>${d.locators.join('、')}</details>`, html`<form method="post" action="/corpus/remove" class="inline">${csrfField(c.csrf)}<input type="hidden" name="id" value="${d.id}"><button>${c.t['remove']}</button></form>`]),
  )}</section>
<section><h2>${c.t['audit']}</h2>${table([c.t['date'] ?? '', c.t['operator'] ?? '', c.t['action'] ?? '', ''], audit.map((a) => [a.at.slice(0, 16).replace('T', ' '), a.operator, a.action, a.detail ?? '']))}</section>`;
}

export function previewPage(c: PageContext, staged: { id: string; title: string; units: Array<{ label: string; text: string }> }): Html {
  const heading = fill(c.t['preview_heading'] ?? '', { title: staged.title, n: staged.units.length });
  return html`<section><h1>${heading}</h1>${staged.units.length === 0 ? html`<p class="error">${c.t['preview_empty']}</p>` : table([c.t['clause'] ?? '', c.t['text'] ?? ''], staged.units.map((u) => [u.label, u.text.slice(0, 120)]), 'id="articles"')}
<form method="post" action="/corpus/accept" class="inline">${csrfField(c.csrf)}<input type="hidden" name="id" value="${staged.id}"><button>${c.t['accept']}</button></form>
<form method="post" action="/corpus/discard" class="inline">${csrfField(c.csrf)}<input type="hidden" name="id" value="${staged.id}"><button>${c.t['discard']}</button></form></section>`;
}

export function institutionsPage(c: PageContext, rows: InstitutionSummary[], programmeName: (id: string | undefined) => string): Html {
  return html`<section><h1>${fill(c.t['institutions'] ?? '', { n: rows.length })}</h1>${table(
    [c.t['institution'] ?? '', c.t['programme'] ?? '', c.t['filed_on'] ?? '', c.t['region'] ?? '', c.t['next_deadline'] ?? '', c.t['scheduled'] ?? '', c.t['sent'] ?? '', c.t['failed'] ?? ''],
    rows.map((r) => [
      r.ref,
      programmeName(r.programme),
      Object.values(r.dates).join('、'),
      r.region ?? '',
      r.nextDeadline ? `${r.nextDeadline.due} ${r.nextDeadline.label}` : '',
      r.nudges.scheduled,
      r.nudges.sent,
      html`${r.nudges.failed}${r.failedNudges.map((n) => html`<form method="post" action="/institutions/resend" class="inline">${csrfField(c.csrf)}<input type="hidden" name="nudge" value="${n.id}"><button title="${n.label}">${c.t['resend']} ${n.due}</button></form>`)}`,
    ]),
  )}</section>`;
}
