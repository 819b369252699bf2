import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { createQaServices, type QaServices } from '../../src/compose.js';
import { unsupportedFacts } from '../../src/answer/llm-rephraser.js';
import { CORPUS_DIR, tempDir } from '../helpers/paths.js';

/** A local OpenAI-compatible chat server: answers with whatever the test sets, records prompts. */
let nextReply = '';
const prompts: string[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const parsed = JSON.parse(body) as { messages: Array<{ content: string }> };
    prompts.push(parsed.messages.map((m) => m.content).join('\n'));
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        created: 1,
        model: 'test-model',
        choices: [{ index: 0, message: { role: 'assistant', content: nextReply }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
});

let qa: QaServices;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  qa = await createQaServices(loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR, EMBEDDER: 'builtin', LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'test-model', LLM_API_KEY: 'k' }), silentLogger);
});
afterAll(() => server.close());

describe('optional LLM rephrasing', () => {
  it('puts the plain sentence first and keeps the verbatim clause and citations', async () => {
    nextReply = '网点备案的有效期是三年，到期后可以申请续期，每次续期三年。';
    const a = await qa.answers.answer('网点备案有效期几年');
    expect(a.answer.startsWith(nextReply)).toBe(true);
    expect(a.answer).toContain('第九条 国家知识产权信息公共服务网点备案有效期为三年');
    expect(a.citations[0]).toMatchObject({ doc: 'outlet-filing-measures', article: '第九条' });
    expect(prompts[prompts.length - 1]).toContain('有效期为三年');
  });

  it('drops a rephrasing that states a number the clauses do not contain', async () => {
    nextReply = '网点备案有效期是5年。';
    const a = await qa.answers.answer('网点备案有效期几年');
    expect(a.answer).not.toContain('5年');
    expect(a.answer.startsWith('第九条')).toBe(true);
    expect(unsupportedFacts('需要 5 名专职人员，见 https://x.example', '配备5名及以上专职人员')).toEqual(['https://x.example']);
  });

  it('never asks the model when the corpus does not answer', async () => {
    const before = prompts.length;
    const a = await qa.answers.answer('专利年费滞纳金怎么算');
    expect(a.refused).toBe(true);
    expect(prompts.length).toBe(before);
  });

  it('answers extractively when the model server is down', async () => {
    const down = await createQaServices(loadConfig({ DATA_DIR: tempDir(), CORPUS_DIR, EMBEDDER: 'builtin', LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '2000' }), silentLogger);
    const a = await down.answers.answer('网点备案有效期几年');
    expect(a.answer.startsWith('第九条')).toBe(true);
  });
});
