import type { FlowEventLog } from '../flows/dialogue-service.js';
import type { SqliteDatabase } from './database.js';

/** Dialogue starts and outcomes for the demand report: programme, region, verdict, no user ids. */
export class FlowEventRepository implements FlowEventLog {
  private readonly insert;
  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO flow_events (flow, event, programme, region, verdict, short_on, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  record(e: { flow: string; event: 'started' | 'finished'; programme?: string; region?: string; verdict?: string; shortOn?: string[]; at: Date }): void {
    this.insert.run(e.flow, e.event, e.programme ?? null, e.region ?? null, e.verdict ?? null, e.shortOn?.join(',') ?? null, e.at.toISOString());
  }
}
