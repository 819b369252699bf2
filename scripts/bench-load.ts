/**
 * npm run bench:load [-- --users 50,200,500 --actions 8 --json]
 *
 * Load bench of the whole bot: a real bot process (`src/main.ts`, Telegram long polling)
 * against telegram-test-api on 127.0.0.1. Each emulated user, all at once: half press buttons
 * through the self-check (typing a number where the step asks for one), half type questions.
 * Reply latency is measured from the user's update to the last reply it causes. Reports
 * p50/p95 per kind, messages lost (no reply in 30 s), duplicated (more replies than caused),
 * and the bot's peak RSS (VmHWM). A bench, not a test: numbers go in notes, not assertions.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBotProcess } from '../test/helpers/bot-process.js';
import { CORPUS_DIR, tempDir } from '../test/helpers/paths.js';
import { startTelegramEmulator, type BotMessage } from '../test/helpers/telegram-emulator.js';

const TOKEN = '123456789:LOADtokenLOADtokenLOADtokenLOADtoken';
const QUESTIONS = ['网点备案需要几名专职人员？', '年度总结什么时候交', '地市级中心要什么材料', '备案有效期多久', '整改期限是多长时间'];
const REPLY_TIMEOUT_MS = 30_000;

interface Sample {
  kind: 'button' | 'typed';
  ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: 'string', default: '50,200,500' }, actions: { type: 'string', default: '8' }, json: { type: 'boolean', default: false } } });
  const levels = (values.users ?? '50').split(',').map(Number);
  const actions = Number(values.actions);
  const emulator = await startTelegramEmulator(21000 + Math.floor(Math.random() * 9000));
  // Every bot message, as it arrives, per chat: users wait on these instead of polling the store.
  const arrivals = new Map<string, Array<{ at: number; message: BotMessage }>>();
  const listeners = new Map<string, () => void>();
  const add = emulator.server.addBotMessage.bind(emulator.server);
  emulator.server.addBotMessage = (raw, token) => {
    const result = add(raw, token);
    const chat = String((raw as { chat_id?: unknown }).chat_id);
    const stored = emulator.server.storage.botMessages[emulator.server.storage.botMessages.length - 1] as unknown as BotMessage;
    arrivals.set(chat, [...(arrivals.get(chat) ?? []), { at: Date.now(), message: stored }]);
    listeners.get(chat)?.();
    return result;
  };
  const dataDir = tempDir('ipbot-load-');
  const bot = await startBotProcess({ DATA_DIR: dataDir, CORPUS_DIR, EMBEDDER: 'builtin', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.apiRoot, RATE_LIMIT_PER_MINUTE: '1000' }, 'telegram channel ready', 120_000, process.env['BOT_NODE_ARGS']?.split(' ').filter(Boolean) ?? []);
  const results: Array<Record<string, number>> = [];
  let userBase = 100_000;
  for (const users of levels) {
    const samples: Sample[] = [];
    let lost = 0;
    let caused = 0;
    const chats: string[] = [];
    const runUser = async (u: number, kind: Sample['kind']): Promise<void> => {
      const chat = String(u);
      chats.push(chat);
      const client = emulator.server.getClient(TOKEN, { userId: u, chatId: u, firstName: `L${u}`, userName: `l${u}` });
      let seen = 0;
      /** Sends one update and waits for the `expect` replies it causes; returns the last one. */
      const act = async (send: () => Promise<unknown>, expect: number): Promise<BotMessage | undefined> => {
        caused += expect;
        const started = Date.now();
        const want = seen + expect;
        const done = new Promise<boolean>((resolve) => {
          const check = (): void => {
            if ((arrivals.get(chat)?.length ?? 0) >= want) resolve(true);
          };
          listeners.set(chat, check);
          check();
          setTimeout(() => resolve(false), REPLY_TIMEOUT_MS);
        });
        await send();
        const ok = await done;
        const got = arrivals.get(chat) ?? [];
        seen = got.length;
        if (!ok) {
          lost += want - got.length;
          return undefined;
        }
        samples.push({ kind, ms: (got[want - 1]?.at ?? Date.now()) - started });
        return got[want - 1]?.message;
      };
      if (kind === 'typed') {
        for (let i = 0; i < actions; i++) await act(() => client.sendMessage(client.makeMessage(QUESTIONS[(u + i) % QUESTIONS.length] ?? '')), 1);
        return;
      }
      let last = await act(() => client.sendCommand(client.makeCommand('/check')), 2);
      for (let i = 1; i < actions && last; i++) {
        const buttons = last.message.reply_markup?.inline_keyboard.flat() ?? [];
        const pick = buttons.find((b) => b.text === '是') ?? buttons[0];
        const from = last;
        last = pick
          ? await act(() => client.sendCallback(client.makeCallbackQuery(pick.callback_data, { message: { message_id: from.messageId } })), 1)
          : await act(() => client.sendMessage(client.makeMessage('6')), 1);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: users }, (_, i) => runUser(userBase + i, i % 2 === 0 ? 'button' : 'typed')));
    const wallMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 2000)); // late extra replies count as duplicates
    const received = chats.reduce((n, c) => n + (arrivals.get(c)?.length ?? 0), 0);
    const duplicated = Math.max(0, received - (caused - lost));
    const by = (kind?: Sample['kind']): number[] => samples.filter((s) => !kind || s.kind === kind).map((s) => s.ms).sort((a, b) => a - b);
    results.push({
      users,
      messages: caused,
      wallMs,
      p50: percentile(by(), 50),
      p95: percentile(by(), 95),
      buttonP50: percentile(by('button'), 50),
      buttonP95: percentile(by('button'), 95),
      typedP50: percentile(by('typed'), 50),
      typedP95: percentile(by('typed'), 95),
      lost,
      duplicated,
    });
    userBase += users;
  }
  const status = readFileSync(`/proc/${bot.child.pid}/status`, 'utf8');
  const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  await bot.stop();
  await emulator.stop();
  for (const r of results) {
    process.stdout.write(`${r['users']} users, ${r['messages']} replies awaited in ${((r['wallMs'] ?? 0) / 1000).toFixed(1)} s: p50 ${r['p50']} ms, p95 ${r['p95']} ms (buttons p95 ${r['buttonP95']} ms, typed p95 ${r['typedP95']} ms), lost ${r['lost']}, duplicated ${r['duplicated']}\n`);
  }
  process.stdout.write(`bot peak RSS ${peakRssMb} MB\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ levels: results, peakRssMb })}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
});
