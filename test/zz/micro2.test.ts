import { it } from 'vitest';
import { openPostgres } from '../../src/storage/postgres/postgres-sql.js';
import { freshSchema, TEST_DATABASE_URL } from '../helpers/databases.js';
it('micro2', async () => {
  const schema = freshSchema();
  const sql = await openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 4 });
  await sql.run(`INSERT INTO scheduler_state (key, value) VALUES ('k', 'v')`);
  const time = async (name: string, f: () => Promise<unknown>) => { const t = performance.now(); for (let i = 0; i < 200; i++) await f(); console.log(name, ((performance.now() - t) / 200).toFixed(3)); };
  await time('plain update', () => sql.run(`UPDATE scheduler_state SET value = ? WHERE key = 'k'`, ['a']));
  await time('tx durable', () => sql.transaction((tx) => tx.run(`UPDATE scheduler_state SET value = ? WHERE key = 'k'`, ['a'])));
  await time('tx nondurable', () => sql.transaction((tx) => tx.run(`UPDATE scheduler_state SET value = ? WHERE key = 'k'`, ['a']), { durable: false }));
  await time('select', () => sql.get(`SELECT value FROM scheduler_state WHERE key = 'k'`));
  await sql.run(`DROP SCHEMA ${schema} CASCADE`);
  await sql.close();
}, 600000);
