import { createHmac } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

/**
 * The only place that reads process.env. Every key is listed in .env.example.
 * loadConfig is pure: give it an env object, get a validated Config or an
 * AppError('config_invalid') whose message names the bad key.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  CORPUS_DIR: z.string().min(1).default('corpus'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  EMBEDDER: z.enum(['auto', 'builtin', 'transformers']).default('auto'),
  EMBEDDING_MODEL: z.string().min(1).default('bge-small-zh-v1.5'),
  EMBEDDING_MODEL_DIR: z.string().min(1).default('models'),
  EMBEDDING_ALLOW_DOWNLOAD: booleanFlag.default('false'),
  EMBEDDING_DTYPE: z.enum(['fp32', 'q8']).default('fp32'),
  REFUSAL_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(50).max(20_000).default(1000),
  TZ_NAME: z.string().default('Asia/Shanghai'),
  REMINDER_LEAD_DAYS: z
    .string()
    .regex(/^\d{1,3}(,\d{1,3})*$/, 'comma-separated whole days, e.g. 30,7,1')
    .default('30,7,1')
    .transform((s) => [...new Set(s.split(',').map(Number))].sort((a, b) => b - a)),
  REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  REMINDER_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  REMINDER_CATCHUP_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
  TERMINAL_CHANNEL: z.enum(['auto', 'on', 'off']).default('auto'),
  ADMIN_IDS: z.string().regex(/^([a-z-]+:[^,\s]+)(,[a-z-]+:[^,\s]+)*$/, 'comma-separated channel:user ids, e.g. telegram:123456,wechat:wxid_abc').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(30),
  RATE_QUEUE_MAX: z.coerce.number().int().min(1).max(10_000).default(100),
  QUESTION_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// connection URL (unset: the SQLite file in DATA_DIR)').optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case schema name').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  INBOX_CLAIM_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  INDEX_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^[^\s:]+:\S+$/, 'looks like 123456789:AA… (from @BotFather)').optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().regex(/^https:\/\//, 'must be https://').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
  TELEGRAM_WEBHOOK_HOST: z.string().min(1).default('127.0.0.1'),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  TELEGRAM_ADMIN_IDS: z.string().regex(/^\d+(,\d+)*$/, 'comma-separated numeric Telegram user ids').optional(),
  WECHATY_PUPPET: z.enum(['wechaty-puppet-official-account', 'wechaty-puppet-wechat4u', 'wechaty-puppet-service', 'wechaty-puppet-mock']).optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(8).optional(),
  WECHATY_PUPPET_OA_APP_ID: z.string().min(1).optional(),
  WECHATY_PUPPET_OA_APP_SECRET: z.string().min(1).optional(),
  WECHATY_PUPPET_OA_TOKEN: z.string().min(1).optional(),
  WECHATY_PUPPET_OA_PORT: z.coerce.number().int().min(1).max(65535).default(8788),
  WECHATY_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('ip-policy-bot'),
  WECHAT_ACCEPT_FRIENDS: booleanFlag.default('false'),
  WECHAT_WELCOME: z.string().optional(),
  WECHAT_OA_APP_ID: z.string().regex(/^wx[0-9a-f]{16}$/, 'looks like wx followed by 16 hex digits (开发 → 基本配置 → AppID)').optional(),
  WECHAT_OA_APP_SECRET: z.string().regex(/^[0-9A-Za-z]{16,64}$/, '16–64 letters and digits (基本配置 → AppSecret)').optional(),
  WECHAT_OA_TOKEN: z.string().regex(/^[0-9A-Za-z]{3,32}$/, '3–32 letters and digits, as entered in 服务器配置 → Token').optional(),
  WECHAT_OA_ENCODING_AES_KEY: z.string().regex(/^[0-9A-Za-z]{43}$/, '43 letters and digits, as in 服务器配置 → EncodingAESKey').optional(),
  WECHAT_OA_PORT: z.coerce.number().int().min(0).max(65535).default(8789),
  WECHAT_OA_HOST: z.string().min(1).default('127.0.0.1'),
  WECHAT_OA_PATH: z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'a path such as /wechat').default('/wechat'),
  WECHAT_OA_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  WECHAT_OA_REPLY_WITHIN_MS: z.coerce.number().int().min(200).max(4800).default(4500),
  WECHAT_OA_MENU: booleanFlag.default('false'),
  WECHAT_OA_SUBSCRIBE_TEMPLATE_ID: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'the template id from 订阅通知 → 我的模板').optional(),
  WECHAT_OA_SUBSCRIBE_FIELDS: z
    .string()
    .regex(/^[a-z_]+\d+=(title|due|basis|note)(,[a-z_]+\d+=(title|due|basis|note))*$/, 'template keys with what fills them, e.g. thing1=title,time2=due,thing3=note')
    .default('thing1=title,time2=due,thing3=note'),
  WECHAT_OA_SUBSCRIBE_PAGE: z.string().url().optional(),
  WECHAT_OA_SUBSCRIBE_ONCE: booleanFlag.default('false'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  DOWNLOAD_LINK_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  DOWNLOAD_LINK_SECRET: z.string().min(16).optional(),
  WECOM_BOT_ID: z.string().regex(/^[A-Za-z0-9_-]{4,128}$/, 'the bot id from 企业微信 → 智能机器人 → API 模式').optional(),
  WECOM_BOT_SECRET: z.string().min(8).optional(),
  CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  CONSOLE_SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(8),
  CONSOLE_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  CONSOLE_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  CONSOLE_SECURE_COOKIE: booleanFlag.default('false'),
  WECOM_WS_URL: z.string().regex(/^wss?:\/\/\S+$/, 'a ws:// or wss:// address').optional(),
});

export type EmbedderChoice = 'auto' | 'builtin' | 'transformers';

export interface Config {
  dataDir: string;
  corpusDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  embedder: {
    choice: EmbedderChoice;
    model: string;
    modelDir: string;
    allowDownload: boolean;
    dtype: 'fp32' | 'q8';
  };
  refusalThreshold?: number;
  maxMessageChars: number;
  timeZone: string;
  reminders: {
    leadDays: number[];
    hour: number;
    tickSeconds: number;
    catchUpDays: number;
  };
  /** an OpenAI-compatible chat model that rephrases grounded answers; absent = extractive only */
  llm?: { baseUrl: string; apiKey: string; model: string; timeoutMs: number };
  terminal: boolean;
  /** channel:userId of the operators allowed /stats and /reindex */
  admins: Set<string>;
  /** messages handled per user per minute; a burst beyond it waits its turn */
  rateLimitPerMinute: number;
  /** messages one user may have waiting; beyond it one notice, the rest not kept */
  rateQueueMax: number;
  questionLogDays: number;
  outboxLeaseMs: number;
  /** where state lives: the SQLite file in dataDir (one process), or PostgreSQL (several) */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string; schema?: string; poolSize: number };
  /** how long a process holds a message it is handling before another may take it over */
  inboxClaimMs: number;
  /** with PostgreSQL: how often a process looks whether another rebuilt the index */
  indexPollMs: number;
  telegram?: TelegramConfig;
  wechat?: WechatConfig;
  officialAccount?: OfficialAccountConfig;
  wecom?: WecomConfig;
  console?: ConsoleConfig;
}

export interface ConsoleConfig {
  host: string;
  port: number;
  sessionHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  /** Secure cookies: on when the console is served over HTTPS (behind a proxy) */
  secureCookie: boolean;
}

export interface OfficialAccountConfig {
  appId: string;
  appSecret: string;
  token: string;
  /** safe mode (安全模式) and compatible mode; absent = plaintext mode only */
  encodingAesKey?: string;
  host: string;
  port: number;
  path: string;
  apiBase: string;
  replyWithinMs: number;
  /** where users' browsers reach this server (signed download links) */
  publicBaseUrl: string;
  linkTtlMinutes: number;
  linkSecret: string;
  menu: boolean;
  subscribe?: { templateId: string; fields: Record<string, 'title' | 'due' | 'basis' | 'note'>; page?: string; once: boolean };
}

export interface WecomConfig {
  botId: string;
  secret: string;
  wsUrl?: string;
}

export type TelegramConfig = {
  token: string;
  apiRoot?: string;
} & ({ mode: 'polling' } | { mode: 'webhook'; url: string; secret: string; port: number; host: string });

export type WechatConfig =
  | { puppet: 'wechaty-puppet-official-account'; appId: string; appSecret: string; token: string; port: number; name: string; acceptFriends: boolean; welcome?: string }
  | { puppet: 'wechaty-puppet-service'; serviceToken: string; name: string; acceptFriends: boolean; welcome?: string }
  | { puppet: 'wechaty-puppet-wechat4u' | 'wechaty-puppet-mock'; name: string; acceptFriends: boolean; welcome?: string };

export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const key = first?.path.join('.') ?? 'unknown';
    throw new AppError('config_invalid', `配置错误 / invalid config: ${key}: ${first?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(cwd, e.DATA_DIR),
    corpusDir: path.resolve(cwd, e.CORPUS_DIR),
    logLevel: e.LOG_LEVEL,
    embedder: {
      choice: e.EMBEDDER,
      model: e.EMBEDDING_MODEL,
      modelDir: path.resolve(cwd, e.EMBEDDING_MODEL_DIR),
      allowDownload: e.EMBEDDING_ALLOW_DOWNLOAD,
      dtype: e.EMBEDDING_DTYPE,
    },
    ...(e.REFUSAL_THRESHOLD === undefined ? {} : { refusalThreshold: e.REFUSAL_THRESHOLD }),
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    timeZone: e.TZ_NAME,
    reminders: { leadDays: e.REMINDER_LEAD_DAYS, hour: e.REMINDER_HOUR, tickSeconds: e.REMINDER_TICK_SECONDS, catchUpDays: e.REMINDER_CATCHUP_DAYS },
    ...(e.LLM_BASE_URL && e.LLM_MODEL ? { llm: { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? 'none', model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS } } : {}),
    terminal: e.TERMINAL_CHANNEL === 'on' || (e.TERMINAL_CHANNEL === 'auto' && !e.TELEGRAM_BOT_TOKEN && !e.WECHATY_PUPPET && !e.WECHAT_OA_APP_ID && !e.WECOM_BOT_ID),
    admins: new Set([...(e.ADMIN_IDS?.split(',') ?? []), ...(e.TELEGRAM_ADMIN_IDS?.split(',').map((id) => `telegram:${id}`) ?? [])]),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateQueueMax: e.RATE_QUEUE_MAX,
    questionLogDays: e.QUESTION_LOG_DAYS,
    outboxLeaseMs: e.OUTBOX_LEASE_SECONDS * 1000,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL, ...(e.DATABASE_SCHEMA ? { schema: e.DATABASE_SCHEMA } : {}), poolSize: e.DATABASE_POOL_SIZE } : { kind: 'sqlite' },
    inboxClaimMs: e.INBOX_CLAIM_SECONDS * 1000,
    indexPollMs: e.INDEX_POLL_SECONDS * 1000,
    ...(e.TELEGRAM_BOT_TOKEN ? { telegram: telegramConfig(e) } : {}),
    ...(e.WECHATY_PUPPET ? { wechat: wechatConfig(e) } : {}),
    ...(e.WECHAT_OA_APP_ID ? { officialAccount: officialAccountConfig(e) } : {}),
    ...(e.WECOM_BOT_ID ? { wecom: wecomConfig(e) } : {}),
    ...(e.CONSOLE_PORT === undefined
      ? {}
      : { console: { host: e.CONSOLE_HOST, port: e.CONSOLE_PORT, sessionHours: e.CONSOLE_SESSION_HOURS, lockoutAttempts: e.CONSOLE_LOCKOUT_ATTEMPTS, lockoutMinutes: e.CONSOLE_LOCKOUT_MINUTES, secureCookie: e.CONSOLE_SECURE_COOKIE } }),
  };
}

type Env = z.infer<typeof envSchema>;

function need(value: string | undefined, key: string, why: string): string {
  if (!value) throw new AppError('config_invalid', `配置错误 / invalid config: ${key}: required ${why}`);
  return value;
}

/** BotFather tokens are digits, a colon and 35 URL-safe characters; a self-hosted Bot API server may issue others. */
const BOTFATHER_TOKEN = /^\d{3,}:[A-Za-z0-9_-]{20,}$/;

function telegramConfig(e: Env): TelegramConfig {
  const token = need(e.TELEGRAM_BOT_TOKEN, 'TELEGRAM_BOT_TOKEN', 'for Telegram');
  if (!e.TELEGRAM_API_ROOT && !BOTFATHER_TOKEN.test(token)) {
    throw new AppError('config_invalid', '配置错误 / invalid config: TELEGRAM_BOT_TOKEN: looks like 123456789:AA… (from @BotFather)');
  }
  const apiRoot = e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {};
  if (!e.TELEGRAM_WEBHOOK_URL) return { token, mode: 'polling', ...apiRoot };
  const secret = need(e.TELEGRAM_WEBHOOK_SECRET, 'TELEGRAM_WEBHOOK_SECRET', 'when TELEGRAM_WEBHOOK_URL is set');
  return { token, mode: 'webhook', url: e.TELEGRAM_WEBHOOK_URL, secret, port: e.TELEGRAM_WEBHOOK_PORT, host: e.TELEGRAM_WEBHOOK_HOST, ...apiRoot };
}

function wechatConfig(e: Env): WechatConfig {
  const common = { name: e.WECHATY_NAME, acceptFriends: e.WECHAT_ACCEPT_FRIENDS, ...(e.WECHAT_WELCOME ? { welcome: e.WECHAT_WELCOME } : {}) };
  switch (e.WECHATY_PUPPET) {
    case 'wechaty-puppet-official-account':
      return {
        puppet: e.WECHATY_PUPPET,
        appId: need(e.WECHATY_PUPPET_OA_APP_ID, 'WECHATY_PUPPET_OA_APP_ID', 'for the official-account puppet'),
        appSecret: need(e.WECHATY_PUPPET_OA_APP_SECRET, 'WECHATY_PUPPET_OA_APP_SECRET', 'for the official-account puppet'),
        token: need(e.WECHATY_PUPPET_OA_TOKEN, 'WECHATY_PUPPET_OA_TOKEN', 'for the official-account puppet'),
        port: e.WECHATY_PUPPET_OA_PORT,
        ...common,
      };
    case 'wechaty-puppet-service':
      return { puppet: e.WECHATY_PUPPET, serviceToken: need(e.WECHATY_PUPPET_SERVICE_TOKEN, 'WECHATY_PUPPET_SERVICE_TOKEN', 'for wechaty-puppet-service'), ...common };
    default:
      return { puppet: e.WECHATY_PUPPET ?? 'wechaty-puppet-wechat4u', ...common };
  }
}

function officialAccountConfig(e: Env): OfficialAccountConfig {
  const why = 'for the Official Account (WECHAT_OA_APP_ID is set)';
  const appSecret = need(e.WECHAT_OA_APP_SECRET, 'WECHAT_OA_APP_SECRET', why);
  const templateId = e.WECHAT_OA_SUBSCRIBE_TEMPLATE_ID;
  const fields = Object.fromEntries(e.WECHAT_OA_SUBSCRIBE_FIELDS.split(',').map((pair) => pair.split('=') as [string, 'title' | 'due' | 'basis' | 'note']));
  return {
    appId: need(e.WECHAT_OA_APP_ID, 'WECHAT_OA_APP_ID', why),
    appSecret,
    token: need(e.WECHAT_OA_TOKEN, 'WECHAT_OA_TOKEN', why),
    ...(e.WECHAT_OA_ENCODING_AES_KEY ? { encodingAesKey: e.WECHAT_OA_ENCODING_AES_KEY } : {}),
    host: e.WECHAT_OA_HOST,
    port: e.WECHAT_OA_PORT,
    path: e.WECHAT_OA_PATH,
    apiBase: e.WECHAT_OA_API_BASE.replace(/\/$/, ''),
    replyWithinMs: e.WECHAT_OA_REPLY_WITHIN_MS,
    publicBaseUrl: need(e.PUBLIC_BASE_URL, 'PUBLIC_BASE_URL', 'for the Official Account (drafts are sent as download links from this address)'),
    linkTtlMinutes: e.DOWNLOAD_LINK_MINUTES,
    // Without a configured secret the links are signed with a key derived from the AppSecret.
    linkSecret: e.DOWNLOAD_LINK_SECRET ?? createHmac('sha256', appSecret).update('download-links').digest('hex'),
    menu: e.WECHAT_OA_MENU,
    ...(templateId ? { subscribe: { templateId, fields, once: e.WECHAT_OA_SUBSCRIBE_ONCE, ...(e.WECHAT_OA_SUBSCRIBE_PAGE ? { page: e.WECHAT_OA_SUBSCRIBE_PAGE } : {}) } } : {}),
  };
}

function wecomConfig(e: Env): WecomConfig {
  return {
    botId: need(e.WECOM_BOT_ID, 'WECOM_BOT_ID', 'for WeCom'),
    secret: need(e.WECOM_BOT_SECRET, 'WECOM_BOT_SECRET', 'for WeCom (WECOM_BOT_ID is set)'),
    ...(e.WECOM_WS_URL ? { wsUrl: e.WECOM_WS_URL } : {}),
  };
}
