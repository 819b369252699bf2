import { randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { AppDeps } from '../compose.js';
import type { ConsoleConfig } from '../config/config.js';
import { isAppError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { CHANNELS } from '../core/ports.js';
import { addDays, todayIn } from '../core/dates.js';
import { profileRegion } from '../understanding/jurisdiction.js';
import { fill } from '../core/text.js';
import { isoDateSchema } from '../corpus/manifest.js';
import { InstitutionRepository } from '../storage/institution-repository.js';
import { OperatorRepository } from '../storage/operator-repository.js';
import { QuestionLogReader } from '../storage/question-log-repository.js';
import { ReportRepository } from '../storage/report-repository.js';
import { loadConsoleTexts, type ConsoleLang, type ConsoleText } from './console-texts.js';
import { CorpusAdmin } from './corpus-admin.js';
import { html } from './html.js';
import { conversationPage, conversationsPage, corpusPage, hitTestPage, institutionsPage, layout, loginPage, previewPage, reportPage, type PageContext } from './pages.js';
import { DUMMY_HASH, passwordMatches } from './passwords.js';
import { reportDocx, reportXlsx } from './report-export.js';
import { reportNames, reportSections } from './report-sections.js';

export interface ConsoleDeps {
  config: ConsoleConfig;
  app: AppDeps;
  corpusDir: string;
  dataDir: string;
  timeZone: string;
  logger: Logger;
}

const SESSION = 'console_session';
const LOGIN_CSRF = 'console_login';
const LANG = 'console_lang';
const DEFAULT_PERIOD_DAYS = 30;

interface Signed {
  operator: string;
  csrf: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    signed?: Signed;
  }
}

const sameToken = (a: string | undefined, b: string | undefined): boolean => !!a && !!b && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
/** only a path on this console: never another site (an open redirect) */
const localPath = (p: unknown): string => (typeof p === 'string' && /^\/(?!\/)[^\s\\]*$/.test(p) ? p : '/report');
const field = (body: unknown, name: string): string | undefined => {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};
/** a YYYY-MM-DD value, checked as the corpus manifest checks its dates */
const isDate = (v: unknown): v is string => isoDateSchema.safeParse(v).success;

/**
 * The operator console (Fastify, server-rendered pages, no client script): sign-in with argon2
 * hashes, sessions in the database, CSRF tokens on every form, lockout after repeated failures;
 * the demand report with its exports; the question log with the reasons behind each answer; hit
 * testing; corpus upload, preview, reindex and removal (audited); institutions and reminders.
 */
export async function createConsole(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { app, config } = deps;
  const texts = loadConsoleTexts();
  const operators = new OperatorRepository(app.sql);
  const reports = new ReportRepository(app.sql);
  const log = new QuestionLogReader(app.sql);
  const institutions = new InstitutionRepository(app.sql);
  const corpus = new CorpusAdmin(deps.corpusDir, deps.dataDir);
  const now = (): Date => app.clock.now();
  let reindexing = false;

  const server = Fastify({ logger: false, bodyLimit: 1_000_000 });
  await server.register(cookie);
  await server.register(formbody);
  await server.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } });

  const langOf = (req: FastifyRequest): ConsoleLang => (req.cookies[LANG] === 'en' ? 'en' : req.cookies[LANG] === 'zh' ? 'zh' : /^en/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh');
  const textsOf = (req: FastifyRequest): ConsoleText => texts[langOf(req)];
  const ctx = (req: FastifyRequest): PageContext => ({ t: textsOf(req), lang: langOf(req), csrf: req.signed?.csrf ?? '', operator: req.signed?.operator ?? '', path: req.url.split('?')[0] ?? '/' });
  const page = (reply: FastifyReply, body: string, status = 200): FastifyReply => reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: config.secureCookie };

  const names = reportNames(app.qa.catalog, () => app.qa.index.docs);

  // Every page but sign-in needs a session; every form post needs its CSRF token.
  server.addHook('preHandler', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path === '/login' || path === '/healthz' || path === '/favicon.ico') return;
    const sessionId = req.cookies[SESSION];
    const session = sessionId ? await operators.session(sessionId, now()) : undefined;
    if (!session || !sessionId) {
      if (req.method === 'GET') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
      return reply.code(401).send('sign in first');
    }
    req.signed = { ...session, sessionId };
    // The upload's multipart body is read (and its token checked) in its handler; any other post
    // must carry the token in its form body, a multipart one included (it has none we read).
    const uploading = path === '/corpus/upload' && req.isMultipart();
    if (req.method === 'POST' && !uploading && !sameToken(field(req.body, '_csrf'), session.csrf)) return page(reply, layout(ctx(req), '403', html`<p class="error">${textsOf(req)['csrf_failed']}</p>`), 403);
  });

  // An unexpected error is logged and shown as a plain page: no stack or query text reaches the browser.
  server.setErrorHandler((error: unknown, _req, reply) => {
    const code = typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : 500;
    const status = code >= 400 && code < 500 ? code : 500;
    if (status === 500) deps.logger.error('console request failed', { error: errorMessage(error) });
    void reply.code(status).header('content-type', 'text/plain; charset=utf-8').send(status === 500 ? 'internal error' : 'bad request');
  });

  server.get('/healthz', async (_req, reply) => {
    const health = await app.health();
    return reply.code(health.ok ? 200 : 503).send(health);
  });

  // The browser asks for /favicon.ico on its own: it is no page and must not start a sign-in.
  server.get('/favicon.ico', async (_req, reply) => reply.code(204).send());

  server.get('/login', async (req, reply) => {
    // one token per browser until it signs in: a second tab (or any stray request) keeps the first form valid
    const existing = req.cookies[LOGIN_CSRF];
    const token = existing && /^[0-9a-f]{32}$/.test(existing) ? existing : randomBytes(16).toString('hex');
    reply.setCookie(LOGIN_CSRF, token, cookieOptions);
    return page(reply, loginPage(textsOf(req), langOf(req), token, localPath((req.query as Record<string, unknown>)['next'])));
  });

  server.post('/login', async (req, reply) => {
    const t = textsOf(req);
    const again = (error: string, status: number): FastifyReply => {
      const token = randomBytes(16).toString('hex');
      reply.setCookie(LOGIN_CSRF, token, cookieOptions);
      return page(reply, loginPage(t, langOf(req), token, localPath(field(req.body, 'next')), error), status);
    };
    if (!sameToken(field(req.body, '_csrf'), req.cookies[LOGIN_CSRF])) return again(t['csrf_failed'] ?? '', 403);
    const name = field(req.body, 'name') ?? '';
    const password = field(req.body, 'password') ?? '';
    const operator = await operators.get(name);
    const lockedUntil = operator?.lockedUntil ? new Date(operator.lockedUntil) : undefined;
    if (lockedUntil && lockedUntil > now()) {
      await passwordMatches(DUMMY_HASH, password);
      return again(fill(t['login_locked'] ?? '', { minutes: Math.ceil((lockedUntil.getTime() - now().getTime()) / 60_000) }), 429);
    }
    const ok = await passwordMatches(operator?.passwordHash ?? DUMMY_HASH, password);
    if (!operator || !ok) {
      if (operator) {
        const lock = operator.failedAttempts + 1 >= config.lockoutAttempts ? new Date(now().getTime() + config.lockoutMinutes * 60_000) : undefined;
        await operators.failedLogin(name, lock);
        if (lock) deps.logger.warn('console: operator locked out after failed sign-ins', { attempts: operator.failedAttempts + 1 });
      }
      return again(t['login_failed'] ?? '', 401);
    }
    await operators.goodLogin(name);
    const sessionId = randomBytes(32).toString('base64url');
    await operators.createSession(sessionId, name, randomBytes(24).toString('base64url'), new Date(now().getTime() + config.sessionHours * 3_600_000));
    await operators.audit(name, 'sign-in', '', now());
    reply.clearCookie(LOGIN_CSRF, { path: '/' });
    reply.setCookie(SESSION, sessionId, { ...cookieOptions, maxAge: config.sessionHours * 3600 });
    return reply.redirect(localPath(field(req.body, 'next')), 303);
  });

  server.post('/logout', async (req, reply) => {
    if (req.signed) await operators.endSession(req.signed.sessionId);
    reply.clearCookie(SESSION, { path: '/' });
    return reply.redirect('/login', 303);
  });

  server.get('/lang', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    reply.setCookie(LANG, q['to'] === 'en' ? 'en' : 'zh', { ...cookieOptions, maxAge: 365 * 86400 });
    return reply.redirect(localPath(q['back']));
  });

  server.get('/', async (_req, reply) => reply.redirect('/report'));

  const reportQuery = (req: FastifyRequest): { from: string; to: string; region?: string } => {
    const q = req.query as Record<string, unknown>;
    const today = todayIn(now(), deps.timeZone);
    const monthAgo = addDays(today, -DEFAULT_PERIOD_DAYS);
    const from = isDate(q['from']) ? q['from'] : monthAgo;
    const to = isDate(q['to']) ? q['to'] : today;
    const region = typeof q['region'] === 'string' && q['region'] ? q['region'] : undefined;
    return { from, to, ...(region ? { region } : {}) };
  };
  const reportOf = async (req: FastifyRequest) => {
    const t = textsOf(req);
    const query = reportQuery(req);
    const report = await reports.demandReport(query);
    const heading = fill(t['report_heading'] ?? '', { from: query.from, to: query.to, region: query.region ?? t['all_regions'] ?? '' });
    return { t, query, heading, sections: reportSections(report, t, names) };
  };

  server.get('/report', async (req, reply) => {
    const r = await reportOf(req);
    return page(reply, layout(ctx(req), r.heading, reportPage(ctx(req), r.heading, r.query, await reports.regions(), r.sections)));
  });
  server.get('/report.xlsx', async (req, reply) => {
    const r = await reportOf(req);
    const file = await reportXlsx(r.heading, r.sections);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="demand-report-${r.query.from}-${r.query.to}.xlsx"`).send(file);
  });
  server.get('/report.docx', async (req, reply) => {
    const r = await reportOf(req);
    const file = await reportDocx(r.heading, r.t['report_basis'] ?? '', r.sections);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('content-disposition', `attachment; filename="demand-report-${r.query.from}-${r.query.to}.docx"`).send(file);
  });

  server.get('/conversations', async (req, reply) => {
    const q = req.query as Record<string, string>;
    const rows = await log.search({ ...(q['text'] ? { text: q['text'] } : {}), ...(isDate(q['from']) ? { from: q['from'] } : {}), ...(isDate(q['to']) ? { to: q['to'] } : {}), ...(q['channel'] ? { channel: q['channel'] } : {}), ...(q['kind'] ? { kind: q['kind'] } : {}) });
    return page(reply, layout(ctx(req), textsOf(req)['nav_conversations'] ?? '', conversationsPage(ctx(req), q, CHANNELS, rows)));
  });
  server.get('/conversations/:id', async (req, reply) => {
    const entry = await log.get(Number((req.params as { id: string }).id));
    if (!entry) return page(reply, layout(ctx(req), '404', html`<p>404</p>`), 404);
    return page(reply, layout(ctx(req), entry.question, conversationPage(ctx(req), entry, names.docTitle, (id) => names.programme(id) ?? id)));
  });

  server.get('/hit-test', async (req, reply) => {
    const question = String((req.query as Record<string, unknown>)['q'] ?? '').slice(0, 1000);
    // answered by the answer service directly: nothing is logged, no conversation is touched
    const answer = question.trim() ? await app.qa.answers.answer(question.trim()) : undefined;
    const result = answer ? { answer: answer.answer, citations: answer.citations, kind: answer.kind, ...(answer.trace ? { trace: answer.trace } : {}) } : undefined;
    return page(reply, layout(ctx(req), textsOf(req)['nav_hit_test'] ?? '', hitTestPage(ctx(req), question, result, names.docTitle, (id) => names.programme(id) ?? id)));
  });

  const corpusView = async (req: FastifyRequest, reply: FastifyReply, notice?: { ok: boolean; text: string }, status = 200): Promise<FastifyReply> => {
    const docs = app.qa.index.docs.map((d) => ({ id: d.id, title: d.title, articles: d.units.filter((u) => u.kind === 'article').length, locators: d.units.filter((u) => u.kind === 'article' || u.kind === 'section').map((u) => u.locator.label) }));
    return page(reply, layout(ctx(req), textsOf(req)['nav_corpus'] ?? '', corpusPage(ctx(req), docs, await operators.auditLog()), notice), status);
  };

  server.get('/corpus', async (req, reply) => corpusView(req, reply));

  server.post('/corpus/upload', async (req, reply) => {
    const t = textsOf(req);
    const fields: Record<string, string> = {};
    let file: { name: string; data: Buffer } | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') file = { name: part.filename, data: await part.toBuffer() };
        else fields[part.fieldname] = String(part.value);
      }
    } catch (e) {
      return corpusView(req, reply, { ok: false, text: fill(t['bad_upload'] ?? '', { reason: errorMessage(e) }) }, 400);
    }
    if (!sameToken(fields['_csrf'], req.signed?.csrf)) return page(reply, layout(ctx(req), '403', html`<p class="error">${t['csrf_failed']}</p>`), 403);
    const id = fields['id'] ?? '';
    if (!file) return corpusView(req, reply, { ok: false, text: fill(t['bad_upload'] ?? '', { reason: 'no file' }) }, 400);
    try {
      const staged = await corpus.stage(id, file.name, file.data);
      await operators.audit(req.signed?.operator ?? '', 'upload-preview', `${id} ${file.name}`, now());
      return page(reply, layout(ctx(req), t['preview'] ?? '', previewPage(ctx(req), { id, title: staged.title, units: staged.units.filter((u) => u.kind === 'article' || u.kind === 'section').map((u) => ({ label: u.locator.label, text: u.text })) })));
    } catch (e) {
      const reason = isAppError(e) && e.message === 'id_taken' ? fill(t['id_taken'] ?? '', { id }) : fill(t['bad_upload'] ?? '', { reason: isAppError(e) && e.message === 'id' ? (t['upload_id'] ?? '') : errorMessage(e) });
      return corpusView(req, reply, { ok: false, text: reason }, 400);
    }
  });

  server.post('/corpus/accept', async (req, reply) => {
    const id = field(req.body, 'id') ?? '';
    try {
      const file = await corpus.accept(id);
      await operators.audit(req.signed?.operator ?? '', 'add-document', file, now());
      return corpusView(req, reply, { ok: true, text: fill(textsOf(req)['added'] ?? '', { id }) });
    } catch (e) {
      return corpusView(req, reply, { ok: false, text: fill(textsOf(req)['bad_upload'] ?? '', { reason: errorMessage(e) }) }, 400);
    }
  });

  server.post('/corpus/discard', async (req, reply) => {
    corpus.discard(field(req.body, 'id') ?? '');
    return corpusView(req, reply);
  });

  server.post('/corpus/remove', async (req, reply) => {
    const id = field(req.body, 'id') ?? '';
    const files = corpus.remove(id);
    if (files.length > 0) await operators.audit(req.signed?.operator ?? '', 'remove-document', files.join(', '), now());
    return corpusView(req, reply, { ok: files.length > 0, text: fill(textsOf(req)['removed'] ?? '', { id }) });
  });

  server.post('/corpus/reindex', async (req, reply) => {
    const t = textsOf(req);
    if (reindexing) return corpusView(req, reply, { ok: false, text: fill(t['reindex_refused'] ?? '', { reason: 'busy' }) }, 409);
    reindexing = true;
    try {
      const result = await app.reindex();
      await operators.audit(req.signed?.operator ?? '', 'reindex', result, now());
      return corpusView(req, reply, { ok: true, text: result });
    } catch (e) {
      await operators.audit(req.signed?.operator ?? '', 'reindex-refused', errorMessage(e), now());
      return corpusView(req, reply, { ok: false, text: fill(t['reindex_refused'] ?? '', { reason: errorMessage(e) }) }, 422);
    } finally {
      reindexing = false;
    }
  });

  const institutionsView = async (req: FastifyRequest, reply: FastifyReply, notice?: { ok: boolean; text: string }): Promise<FastifyReply> => {
    const programmeName = (id: string | undefined): string => names.programme(id ?? null) ?? '';
    return page(reply, layout(ctx(req), textsOf(req)['nav_institutions'] ?? '', institutionsPage(ctx(req), await institutions.list(profileRegion), programmeName), notice));
  };
  server.get('/institutions', async (req, reply) => institutionsView(req, reply));
  server.post('/institutions/resend', async (req, reply) => {
    const id = Number(field(req.body, 'nudge'));
    const ok = Number.isInteger(id) && (await institutions.resend(id));
    if (ok) {
      await operators.audit(req.signed?.operator ?? '', 'resend-nudge', String(id), now());
      app.sender.notify();
    }
    return institutionsView(req, reply, { ok, text: ok ? (textsOf(req)['resent'] ?? '') : '—' });
  });

  return server;
}
