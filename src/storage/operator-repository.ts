import { createHash } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

export interface OperatorRow {
  name: string;
  passwordHash: string;
  failedAttempts: number;
  lockedUntil: string | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Console operators, their sessions (only a hash of the session id is stored, so a copy of the
 * database opens no session) and the audit log of what they changed.
 */
export class OperatorRepository {
  constructor(private readonly db: SqliteDatabase) {}

  add(name: string, passwordHash: string, at: Date): void {
    this.db
      .prepare('INSERT INTO operators (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, failed_attempts = 0, locked_until = NULL')
      .run(name, passwordHash, at.toISOString());
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM operators WHERE name = ?').run(name).changes > 0;
  }

  list(): string[] {
    return (this.db.prepare('SELECT name FROM operators ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
  }

  get(name: string): OperatorRow | undefined {
    return this.db.prepare('SELECT name, password_hash AS passwordHash, failed_attempts AS failedAttempts, locked_until AS lockedUntil FROM operators WHERE name = ?').get(name) as OperatorRow | undefined;
  }

  failedLogin(name: string, lockUntil: Date | undefined): void {
    this.db.prepare('UPDATE operators SET failed_attempts = failed_attempts + 1, locked_until = COALESCE(?, locked_until) WHERE name = ?').run(lockUntil?.toISOString() ?? null, name);
  }

  goodLogin(name: string): void {
    this.db.prepare('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE name = ?').run(name);
  }

  createSession(sessionId: string, operator: string, csrf: string, expires: Date): void {
    this.db.prepare('INSERT INTO console_sessions (id_hash, operator, csrf, expires_at) VALUES (?, ?, ?, ?)').run(sha256(sessionId), operator, csrf, expires.toISOString());
  }

  session(sessionId: string, now: Date): { operator: string; csrf: string } | undefined {
    const row = this.db.prepare('SELECT operator, csrf, expires_at AS expiresAt FROM console_sessions WHERE id_hash = ?').get(sha256(sessionId)) as { operator: string; csrf: string; expiresAt: string } | undefined;
    if (!row) return undefined;
    if (row.expiresAt <= now.toISOString()) {
      this.endSession(sessionId);
      return undefined;
    }
    return { operator: row.operator, csrf: row.csrf };
  }

  endSession(sessionId: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE id_hash = ?').run(sha256(sessionId));
  }

  audit(operator: string, action: string, detail: string, at: Date): void {
    this.db.prepare('INSERT INTO audit_log (operator, action, detail, at) VALUES (?, ?, ?, ?)').run(operator, action, detail, at.toISOString());
  }

  auditLog(limit = 50): Array<{ operator: string; action: string; detail: string | null; at: string }> {
    return this.db.prepare('SELECT operator, action, detail, at FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as Array<{ operator: string; action: string; detail: string | null; at: string }>;
  }
}
