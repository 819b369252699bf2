import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordMatches } from '../../src/console/passwords.js';
import { openSqlite } from '../../src/storage/sqlite-sql.js';
import { OperatorRepository } from '../../src/storage/operator-repository.js';
import { runScript } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/paths.js';

describe('npm run console:user', () => {
  it('adds an operator with a hashed password read from standard input, lists and removes them', async () => {
    const dataDir = tempDir();
    const added = await runScript('src/cli/console-user.ts', ['add', '省局-operator'], { env: { DATA_DIR: dataDir }, stdin: 'a long enough secret\n' });
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('operator 省局-operator saved');
    const sql = openSqlite(path.join(dataDir, 'bot.sqlite'));
    const row = await new OperatorRepository(sql).get('省局-operator');
    await sql.close();
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await passwordMatches(row?.passwordHash ?? '', 'a long enough secret')).toBe(true);
    expect((await runScript('src/cli/console-user.ts', ['add', 'short'], { env: { DATA_DIR: dataDir }, stdin: 'too short\n' })).stderr).toContain('at least 10 characters');
    expect((await runScript('src/cli/console-user.ts', ['list'], { env: { DATA_DIR: dataDir } })).stdout.trim()).toBe('省局-operator');
    expect((await runScript('src/cli/console-user.ts', ['remove', '省局-operator'], { env: { DATA_DIR: dataDir } })).stdout).toContain('removed');
  }, 60_000);
});
