/** What every channel turns its platform events into. */
export interface IncomingMessage {
  channel: 'terminal' | 'telegram' | 'wechat';
  chatId: string;
  userId: string;
  kind: 'text' | 'sticker' | 'photo' | 'voice' | 'file' | 'other';
  text?: string;
}

/** What the core answers with; adapters turn it into platform calls. */
export interface Reply {
  text: string;
}

/** Time is a port so schedules and expiry can be tested with a fake clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The question log the router writes before replying (for /stats and unanswered-question review). */
export interface QuestionLog {
  record(entry: { channel: string; userId: string; question: string; refused: boolean; topCitation?: string; at: Date }): void;
}
