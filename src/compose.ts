import type { Config } from './config/config.js';
import { systemClock, type Clock, type Delivery } from './core/ports.js';
import { createReminderScheduler, type ReminderScheduler } from './reminders/reminder-scheduler.js';
import { createRemindHandlers } from './reminders/remind-command.js';
import { NudgeRepository } from './storage/nudge-repository.js';
import { OutboxRepository } from './storage/outbox-repository.js';
import { InboxRepository } from './storage/inbox-repository.js';
import { ChoiceRepository } from './storage/choice-repository.js';
import { UserDataRepository } from './storage/user-data-repository.js';
import { ConsentRepository } from './storage/consent-repository.js';
import { FeedbackRepository } from './storage/feedback-repository.js';
import { FlowEventRepository } from './storage/flow-event-repository.js';
import { profileRegion } from './understanding/jurisdiction.js';
import { UnitOfWork } from './storage/unit-of-work.js';
import { checkDataDir } from './storage/data-dir.js';
import { createMessagePipeline, type MessagePipeline } from './core/message-pipeline.js';
import { createOutboxSender, type OutboxSender } from './core/outbox-sender.js';
import type { Gateway } from './core/pipeline-ports.js';
import { createRouter, type MessageRouter } from './core/router.js';
import { createDialogueService, type ProfileStore } from './flows/dialogue-service.js';
import { loadDialogueTexts } from './flows/dialogue-text.js';
import { createRegisterKit, regenerateDraft, type RegisterKitOptions } from './flows/register-kit.js';
import { formatChineseDate } from './core/dates.js';
import { createAdminCommands } from './core/admin-commands.js';
import { createSelfCheckKit } from './flows/self-check-kit.js';
import { openStorage } from './storage/open-storage.js';
import type { Sql } from './storage/sql.js';
import { ProfileRepository } from './storage/profile-repository.js';
import { QuestionLogRepository } from './storage/question-log-repository.js';
import { SessionRepository } from './storage/session-repository.js';
import { ConversationRepository } from './storage/conversation-repository.js';
import { createConversation } from './answer/conversation.js';
import type { Logger } from './core/logger.js';
import { createAnswerService, type AnswerService } from './answer/answer-service.js';
import { createLlmRephraser } from './answer/llm-rephraser.js';
import { fill, loadMessages, type Messages } from './answer/messages.js';
import { openSearchIndex, type BuildProgress, type SearchIndex } from './retrieval/search-index.js';
import { planEmbedder } from './retrieval/select-embedder.js';
import { AppError } from './core/errors.js';
import { createCatalog, type ProgrammeCatalog } from './programmes/catalog.js';
import { loadProgrammes, unverifiedSources } from './programmes/load-programmes.js';

export interface QaServices {
  /** the index in use (replaced by reindex) */
  readonly index: SearchIndex;
  /** rebuilds the index from the corpus as it is now and swaps it in; returns a one-line report */
  reindex(): Promise<string>;
  /** loads the index another process rebuilt (from the shared data directory, or rebuilt here when it is not there) */
  reload(): Promise<void>;
  catalog: ProgrammeCatalog;
  answers: AnswerService;
  messages: Messages;
}

/**
 * Builds the question-answering part of the app: embedder choice (logged with its reason),
 * the search index (loaded or rebuilt), and the answer service. Shared by the bot, ask, eval and bench.
 */
export async function createQaServices(config: Config, logger: Logger, progress?: BuildProgress): Promise<QaServices> {
  const plan = await planEmbedder(config.embedder, logger);
  const index = await openSearchIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, plan, logger, ...(progress ? { progress } : {}) });
  logger.info(`embedder: ${index.embedder.description}`, { reason: plan.reason, id: index.embedder.id });
  const messages = loadMessages();
  const catalog = await openCatalog(config.corpusDir, index);
  let current = index;
  const rephraser = config.llm ? await createLlmRephraser(config.llm, logger) : undefined;
  if (config.llm) logger.info('LLM rephrasing on', { model: config.llm.model, baseUrl: config.llm.baseUrl });
  /** the index as the corpus is now (rebuilt, or loaded when `force` is false and it is on disk), swapped in */
  const swapIn = async (force: boolean): Promise<SearchIndex> => {
    const next = await openSearchIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, plan, logger, force });
    await openCatalog(config.corpusDir, next); // refuse to swap in a corpus the programme data no longer matches
    current = next;
    return next;
  };
  const answers = createAnswerService({ index: () => current, messages, catalog, checklistTexts: loadDialogueTexts(), ...(rephraser ? { rephraser } : {}), ...(config.refusalThreshold === undefined ? {} : { refusalThreshold: config.refusalThreshold }) });
  return {
    get index() {
      return current;
    },
    async reindex() {
      const started = Date.now();
      const rebuilt = await swapIn(true);
      return `索引已重建：${rebuilt.docs.length} 个文件，${rebuilt.chunks.length} 个片段，用时 ${Date.now() - started} ms。`;
    },
    async reload() {
      await swapIn(false);
    },
    catalog,
    answers,
    messages,
  };
}

/**
 * Loads the programme data and refuses to start when a rule's quote is not at the clause it
 * cites: a bot that states rules must never state one the policy does not contain.
 */
async function openCatalog(corpusDir: string, index: SearchIndex): Promise<ProgrammeCatalog> {
  const data = await loadProgrammes(corpusDir);
  const bad = unverifiedSources(data, index.docs);
  if (bad.length > 0) {
    const first = bad[0];
    throw new AppError('corpus_invalid', `programme data cites text not found at its clause (${bad.length}): ${first?.where} → ${first?.source.doc} ${first?.source.article} “${first?.source.quote}”`);
  }
  return createCatalog(data, index.docs);
}

export interface Health {
  ok: boolean;
  database: boolean;
  index: { documents: number; chunks: number };
  channels: Record<string, boolean>;
}

export interface AppDeps {
  qa: QaServices;
  /** the database (SQLite file or PostgreSQL) behind every repository */
  sql: Sql;
  router: MessageRouter;
  profiles: ProfileRepository;
  sessions: SessionRepository;
  questionLog: QuestionLogRepository;
  nudges: NudgeRepository;
  scheduler: ReminderScheduler;
  /** channels register their Delivery here (by channel name) so nudges reach them */
  deliveries: Map<string, Delivery>;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  pipeline: MessagePipeline;
  sender: OutboxSender;
  /** consents to unprompted messages (WeChat subscription notifications) */
  consents: ConsentRepository;
  /** 👍/👎 on answers (WeCom) */
  feedback: FeedbackRepository;
  clock: Clock;
  /** what channels hand incoming messages to */
  gateway: Gateway;
  /** a channel is running: its replies (and nudges) can be delivered */
  connect(channel: string, delivery: Delivery, connected?: () => boolean): void;
  /** rebuilds the search index from the corpus; with PostgreSQL the other processes load it too */
  reindex(): Promise<string>;
  /** what /healthz reports: the database answers, the index is loaded, each channel is connected */
  health(): Promise<Health>;
  /** stops the sender, the pipeline and the scheduler, waits for deliveries in flight, closes the database */
  close(): Promise<void>;
}

/**
 * The whole bot core over one SQLite file: repositories, dialogues (self-check, registration),
 * the router, and around it the inbox → router → outbox pipeline every channel talks to.
 * Messages left in the inbox by a previous run are handled at once; replies wait in the outbox
 * until their channel connects.
 */
export async function createApp(config: Config, logger: Logger, options: { clock?: Clock; progress?: BuildProgress } = {}): Promise<AppDeps> {
  const clock = options.clock ?? systemClock;
  checkDataDir(config.dataDir);
  const { sql, owner } = await openStorage(config, logger);
  const qa = await createQaServices(config, logger, options.progress).catch(async (e: unknown) => {
    await sql.close();
    throw e;
  });
  const inbox = new InboxRepository(sql);
  const outbox = new OutboxRepository(sql);
  const unit = new UnitOfWork(sql, { inbox, outbox, clock });
  const profiles = new ProfileRepository(sql, logger, unit);
  const sessions = new SessionRepository(sql, logger, unit);
  const questionLog = new QuestionLogRepository(sql, unit, config.questionLogDays);
  const nudges = new NudgeRepository(sql, unit);
  const deliveries = new Map<string, Delivery>();
  const channelStates = new Map<string, () => boolean>();
  const sender = createOutboxSender({ outbox, deliveries, clock, logger, leaseMs: config.outboxLeaseMs });
  const texts = loadDialogueTexts();
  const scheduler = createReminderScheduler({
    catalog: qa.catalog,
    texts,
    profiles,
    nudges,
    outbox,
    onQueued: () => sender.notify(),
    clock,
    logger,
    options: { ...config.reminders, timeZone: config.timeZone },
  });
  const remind = createRemindHandlers({ catalog: qa.catalog, profiles, nudges, scheduler, clock, timeZone: config.timeZone, leadDays: config.reminders.leadDays, texts });
  // Nudges are planned weeks ahead: a profile saved by a dialogue or the router (its programme,
  // region or language changed) is planned again at once. /remind replans itself.
  const plannedProfiles: ProfileStore = {
    get: (key) => profiles.get(key),
    async save(key, profile, now) {
      await profiles.save(key, profile, now);
      await scheduler.replan(key, profile);
    },
  };
  const draftOptions: RegisterKitOptions = {
    texts,
    instructionsFor: (docId) => qa.index.docs.find((d) => d.id === docId)?.units.filter((u) => u.kind === 'instructions').map((u) => u.text) ?? [],
    formatDate: (d) => formatChineseDate(d, config.timeZone),
  };
  const dialogue = createDialogueService({
    kits: [createSelfCheckKit(qa.catalog, texts), createRegisterKit(qa.catalog, draftOptions)],
    texts,
    sessions,
    profiles: plannedProfiles,
    answers: qa.answers,
    clock,
    logger,
    events: new FlowEventRepository(sql, unit),
    regionOf: profileRegion,
  });
  const admin = createAdminCommands({
    admins: config.admins,
    stats: async () => ({ ...(await questionLog.stats()), unanswered: await questionLog.unanswered() }),
    reindex: () => reindex(),
    adminOnly: qa.messages.zh.admin_only,
  });
  const router = createRouter({
    answers: qa.answers,
    conversation: createConversation(qa.answers, new ConversationRepository(sql, logger, unit), clock),
    catalog: qa.catalog,
    dialogue,
    profiles: plannedProfiles,
    messages: qa.messages,
    questionLog,
    clock,
    logger,
    maxMessageChars: config.maxMessageChars,
    choices: new ChoiceRepository(sql, unit),
    userData: new UserDataRepository(sql, unit),
    extraCommands: {
      draft: async (key, _args, lang) => regenerateDraft(qa.catalog, draftOptions, await profiles.get(key), clock.now(), lang),
      remind: (key, args, lang) => remind.command(key, args, lang),
      stats: (key) => admin.stats(key),
      reindex: (key) => admin.reindex(key),
    },
    statements: [(key, text, lang) => remind.statement(key, text, lang)],
  });
  const pipeline = createMessagePipeline({
    router,
    inbox,
    outbox,
    atomic: unit,
    clock,
    logger,
    perMinute: config.rateLimitPerMinute,
    maxQueued: config.rateQueueMax,
    overflowNotice: fill(qa.messages.zh.overflow, { kept: config.rateQueueMax }),
    errorReply: qa.messages.zh.error,
    onOutbox: () => sender.notify(),
    owner,
    claimMs: config.inboxClaimMs,
    sweepMs: sql.dialect === 'postgres' ? 1000 : 5000,
  });
  pipeline.resume();
  sender.start();
  const indexVersion = watchIndexVersion(nudges, qa, logger);
  const reindex = async (): Promise<string> => {
    const report = await qa.reindex();
    if (sql.dialect === 'postgres') await indexVersion.bump();
    return report;
  };
  if (sql.dialect === 'postgres') indexVersion.start(config.indexPollMs);
  const gateway: Gateway = {
    submit: (message, platformId) => pipeline.submit(message, platformId),
    async settled(message) {
      await pipeline.idle({ channel: message.channel, userId: message.userId });
      await sender.idle(message.channel, message.chatId);
    },
  };
  return {
    qa,
    sql,
    router,
    profiles,
    sessions,
    questionLog,
    nudges,
    scheduler,
    deliveries,
    inbox,
    outbox,
    pipeline,
    sender,
    consents: new ConsentRepository(sql),
    feedback: new FeedbackRepository(sql),
    clock,
    gateway,
    reindex,
    connect(channel, delivery, connected = () => true) {
      deliveries.set(channel, delivery);
      channelStates.set(channel, connected);
      sender.notify();
    },
    async health() {
      const database = await sql.ping();
      const channels = Object.fromEntries([...channelStates].map(([name, connected]) => [name, connected()]));
      const index = { documents: qa.index.docs.length, chunks: qa.index.chunks.length };
      return { ok: database && index.chunks > 0 && Object.values(channels).every(Boolean), database, index, channels };
    },
    async close() {
      scheduler.stop();
      indexVersion.stop();
      await pipeline.stop();
      await sender.stop();
      await sql.close();
    },
  };
}

const INDEX_VERSION = 'index_version';

/**
 * Several processes, one corpus: a reindex in one process writes a new version mark to the shared
 * database; the others poll it and load the rebuilt index (from the shared data directory, or by
 * rebuilding it themselves), so every process answers from the same corpus within a poll.
 */
function watchIndexVersion(state: Pick<NudgeRepository, 'getState' | 'setState'>, qa: QaServices, logger: Logger) {
  let seen: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const look = async (): Promise<void> => {
    const version = (await state.getState(INDEX_VERSION)) ?? '';
    const first = seen === undefined;
    if (version === seen) return;
    seen = version;
    if (first) return; // the index this process opened at start is the current one
    await qa.reload();
    logger.info('search index reloaded: another process rebuilt it', { version: seen });
  };
  return {
    async bump(): Promise<void> {
      seen = `${new Date().toISOString()} pid${process.pid}`;
      await state.setState(INDEX_VERSION, seen);
    },
    start(everyMs: number): void {
      const run = (): void => void look().catch((e: unknown) => logger.warn('index version check failed', { error: (e as Error).message }));
      run();
      timer = setInterval(run, everyMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
    },
  };
}
