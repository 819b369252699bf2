import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../core/logger.js';
import { squashSpaces } from '../core/text.js';
import { fill } from './messages.js';
import type { Answer } from './types.js';

export interface Rephraser {
  /** A plain-language lead for a grounded answer, or undefined (then the answer stays extractive). */
  rephrase(question: string, answer: Answer): Promise<string | undefined>;
}

export interface LlmOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const promptFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts/rephrase.md');

/**
 * Rephrases the cited clauses into one or two plain sentences with a chat model (LangChain
 * ChatOpenAI against any OpenAI-compatible server). The model sees only the quotes; its text is
 * dropped when it states a number, date or URL that is not in the quotes, or when the call fails
 * or times out — the extractive answer with its citations is always what remains.
 */
export async function createLlmRephraser(options: LlmOptions, logger: Logger): Promise<Rephraser> {
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({ model: options.model, apiKey: options.apiKey, configuration: { baseURL: options.baseUrl }, temperature: 0, maxRetries: 0, timeout: options.timeoutMs });
  const template = readFileSync(promptFile, 'utf8');
  return {
    async rephrase(question, answer) {
      if (answer.refused || answer.citations.length === 0) return undefined;
      const quotes = answer.citations.map((c) => `《${c.title}》${c.article}：${c.quote}`).join('\n');
      const prompt = fill(template, { question, quotes, language: answer.language === 'en' ? 'English' : '中文' });
      try {
        const reply = await model.invoke(prompt);
        const text = (typeof reply.content === 'string' ? reply.content : reply.content.map((p) => ('text' in p ? p.text : '')).join('')).trim();
        if (!text) return undefined;
        const invented = unsupportedFacts(text, quotes);
        if (invented.length > 0) {
          logger.warn('LLM rephrasing dropped: facts not in the quotes', { invented });
          return undefined;
        }
        return text;
      } catch (e) {
        logger.warn('LLM rephrasing failed, answering extractively', { error: (e as Error).message });
        return undefined;
      }
    },
  };
}

/** Numbers and URLs in the model's text that the quotes do not contain (white space aside). */
export function unsupportedFacts(text: string, quotes: string): string[] {
  const source = squashSpaces(quotes);
  const facts = text.match(/https?:\/\/\S+|\d+(\.\d+)?/g) ?? [];
  return facts.filter((f) => !source.includes(f));
}
