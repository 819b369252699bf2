import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createApp } from '../../src/compose.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { freshSchema, postgresReachable, TEST_DATABASE_URL } from '../helpers/databases.js';
import { waitUntil } from '../helpers/bot-process.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

const havePostgres = await postgresReachable();

describe.skipIf(!havePostgres)('a reindex in one process on PostgreSQL', () => {
  it('is loaded by the other processes within their poll, and both answer from it', async () => {
    const schema = freshSchema();
    const env = { DATA_DIR: tempDir(), CORPUS_DIR, EMBEDDER: 'builtin', DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, INDEX_POLL_SECONDS: '1' };
    const first = await createApp(loadConfig(env), silentLogger);
    const second = await createApp(loadConfig(env), silentLogger);
    try {
      const before = second.qa.index;
      await new Promise((r) => setTimeout(r, 3000)); // several polls: nothing changed, nothing reloaded
      expect(second.qa.index).toBe(before);
      expect(await first.reindex()).toContain('索引已重建');
      expect(await waitUntil(() => second.qa.index !== before, 10_000, 50)).toBe(true);
      expect(second.qa.index.chunks.length).toBe(first.qa.index.chunks.length);
      expect((await second.qa.answers.answer('网点备案有效期几年')).answer).toContain('三年');
    } finally {
      await first.close();
      await second.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    }
  }, 60_000);
});
