import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Gateway } from '../core/pipeline-ports.js';
import { renderChoicesAsText, type Delivery, type Reply } from '../core/ports.js';

export interface TerminalChannelOptions {
  gateway: Gateway;
  /** files the bot sends (drafts) are written under <dataDir>/outbox/ */
  dataDir: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  userId?: string;
}

/**
 * The terminal channel. On a TTY it is an interactive chat with a prompt; when stdin is
 * piped it reads one message per line and prints each reply followed by a blank line,
 * so conversations can be scripted. Each line goes through the gateway like any platform
 * message (recorded, handled, its replies delivered by terminalDelivery) and the next line
 * is read once its replies are printed. Resolves when input ends (EOF, Ctrl-D) or /quit.
 */
export async function runTerminalChannel(options: TerminalChannelOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = readline.createInterface({ input, ...(interactive ? { output } : {}), terminal: interactive });
  const userId = options.userId ?? 'terminal-user';
  // Line ids are unique per run, so a line recorded before a crash is never mistaken for a new one.
  const run = `${Date.now().toString(36)}-${process.pid}`;
  let lineNo = 0;
  if (interactive) {
    output.write('知识产权公共服务政策助手 — 直接输入问题，/help 查看功能，/quit 退出。\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (!text && !interactive) continue;
    const message = { channel: 'terminal' as const, chatId: userId, userId, kind: 'text' as const, text };
    await options.gateway.submit(message, `${run}:${++lineNo}`);
    await options.gateway.settled(message);
    if (interactive) rl.prompt();
  }
  rl.close();
}

export function renderForTerminal(reply: Reply, dataDir: string): string {
  const text = renderChoicesAsText(reply);
  if (!reply.file) return text;
  const dir = path.join(dataDir, 'outbox');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, reply.file.name);
  writeFileSync(file, reply.file.data);
  return `${text}\n[文件] ${file}`;
}

/** Replies and nudges in the terminal: printed (files saved under <dataDir>/outbox/). */
export function terminalDelivery(output: NodeJS.WritableStream, dataDir: string): Delivery {
  return {
    async deliver(_target, reply) {
      output.write(`${renderForTerminal(reply, dataDir)}\n\n`);
    },
  };
}
