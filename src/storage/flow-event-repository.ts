import type { FlowEventLog } from '../flows/dialogue-service.js';
import type { SqliteDatabase } from './database.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/**
 * Dialogue starts and outcomes for the demand report: programme, region, verdict, no user ids.
 * Written with the handling's other changes (a message handled again after a crash counts once).
 */
export class FlowEventRepository implements FlowEventLog {
  private readonly insert;
  constructor(
    db: SqliteDatabase,
    private readonly writes: Writes = immediateWrites,
  ) {
    this.insert = db.prepare('INSERT INTO flow_events (flow, event, programme, region, verdict, short_on, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  record(e: { flow: string; event: 'started' | 'finished'; programme?: string; region?: string; verdict?: string; shortOn?: string[]; at: Date }): void {
    this.writes.write(() => this.insert.run(e.flow, e.event, e.programme ?? null, e.region ?? null, e.verdict ?? null, e.shortOn?.join(',') ?? null, e.at.toISOString()));
  }
}
