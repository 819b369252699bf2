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
}

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
  };
}
