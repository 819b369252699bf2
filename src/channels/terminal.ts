import readline from 'node:readline';
import type { MessageRouter } from '../core/router.js';

export interface TerminalChannelOptions {
  router: MessageRouter;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  userId?: string;
}

/**
 * The terminal channel. On a TTY it is an interactive chat with a prompt; when stdin is
 * piped it reads one message per line and prints each reply followed by a blank line,
 * so conversations can be scripted. Messages are handled strictly in order.
 * Resolves when input ends (EOF, Ctrl-D) or the user types /quit.
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
    if (text === '/quit' || text === '退出') break;
    if (!text && !interactive) continue;
    const replies = await options.router.handle({ channel: 'terminal', chatId: userId, userId, kind: 'text', text });
    for (const r of replies) output.write(`${r.text}\n\n`);
    if (interactive) rl.prompt();
  }
  rl.close();
}
