import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { renderChoicesAsText, type Delivery, type Reply } from '../core/ports.js';
import type { MessageRouter } from '../core/router.js';

export interface TerminalChannelOptions {
  router: MessageRouter;
  /** files the bot sends (drafts) are written under <dataDir>/outbox/ */
  dataDir: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  userId?: string;
}

/**
 * The terminal channel. On a TTY it is an interactive chat with a prompt; when stdin is
 * piped it reads one message per line and prints each reply followed by a blank line,
 * so conversations can be scripted. Choices print as numbered lists; files are saved and
 * their path printed. Resolves when input ends (EOF, Ctrl-D) or the user types /quit.
 */
export async function runTerminalChannel(options: TerminalChannelOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const rl = readline.createInterface({ input, ...(interactive ? { output } : {}), terminal: interactive });
  const userId = options.userId ?? 'terminal-user';
  if (interactive) {
    output.write('知识产权公共服务政策助手 — 直接输入问题，/help 查看功能，/quit 退出。\n');
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (!text && !interactive) continue;
    const replies = await options.router.handle({ channel: 'terminal', chatId: userId, userId, kind: 'text', text });
    for (const r of replies) output.write(`${renderForTerminal(r, options.dataDir)}\n\n`);
    if (interactive) rl.prompt();
  }
  rl.close();
}

function renderForTerminal(reply: Reply, dataDir: string): string {
  const text = renderChoicesAsText(reply);
  if (!reply.file) return text;
  const dir = path.join(dataDir, 'outbox');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, reply.file.name);
  writeFileSync(file, reply.file.data);
  return `${text}\n[文件] ${file}`;
}

/** Nudges in the terminal: printed between conversation turns. */
export function terminalDelivery(output: NodeJS.WritableStream): Delivery {
  return {
    async deliver(_target, reply) {
      output.write(`${renderChoicesAsText(reply)}\n\n`);
    },
  };
}
