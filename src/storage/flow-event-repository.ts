import type { FlowEventLog } from '../flows/dialogue-service.js';
import type { Sql } from './sql.js';
import { immediateWrites, type Writes } from './unit-of-work.js';

/**
 * Dialogue starts and outcomes for the demand report: programme, region, verdict, no user ids.
 * Written with the handling's other changes (a message handled again after a crash counts once).
 */
export class FlowEventRepository implements FlowEventLog {
  constructor(
    sql: Sql,
    private readonly writes: Writes = immediateWrites(sql),
  ) {}

  async record(e: { flow: string; event: 'started' | 'finished'; programme?: string; region?: string; verdict?: string; shortOn?: string[]; at: Date }): Promise<void> {
    await this.writes.write((sql) =>
      sql.run('INSERT INTO flow_events (flow, event, programme, region, verdict, short_on, at) VALUES (?, ?, ?, ?, ?, ?, ?)', [e.flow, e.event, e.programme ?? null, e.region ?? null, e.verdict ?? null, e.shortOn?.join(',') ?? null, e.at.toISOString()]),
    );
  }
}
