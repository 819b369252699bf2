import { createInterface } from 'node:readline';
import { loadConfig } from '../config/config.js';
import { hashPassword } from '../console/passwords.js';
import { openStorage } from '../storage/open-storage.js';
import { silentLogger } from '../core/logger.js';
import { OperatorRepository } from '../storage/operator-repository.js';

/**
 * Console operators: npm run console:user -- add NAME | remove NAME | list
 * The password is read from CONSOLE_PASSWORD, else from standard input (a line), never from the
 * command line (it would stay in the shell history and the process list).
 */
const MIN_PASSWORD = 10;

async function readPassword(): Promise<string> {
  if (process.env['CONSOLE_PASSWORD']) return process.env['CONSOLE_PASSWORD'];
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig(process.env);
  // The bot's database, SQLite file or PostgreSQL (DATABASE_URL), as the console reads it.
  const { sql } = await openStorage(config, silentLogger);
  const operators = new OperatorRepository(sql);
  try {
    if (command === 'list') {
      process.stdout.write(`${(await operators.list()).join('\n')}\n`);
    } else if (command === 'add' && name && /^[\p{L}\p{N}_.@-]{2,64}$/u.test(name)) {
      const password = await readPassword();
      if ([...password].length < MIN_PASSWORD) throw new Error(`the password needs at least ${MIN_PASSWORD} characters`);
      await operators.add(name, await hashPassword(password), new Date());
      process.stdout.write(`operator ${name} saved\n`);
    } else if (command === 'remove' && name) {
      process.stdout.write((await operators.remove(name)) ? `operator ${name} removed\n` : `no operator ${name}\n`);
    } else {
      throw new Error('usage: npm run console:user -- add NAME | remove NAME | list  (NAME: 2–64 letters, digits, _ . @ -)');
    }
  } finally {
    await sql.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
