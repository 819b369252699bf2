import { createHash } from 'node:crypto';
import type { Sql } from './sql.js';

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
  constructor(private readonly sql: Sql) {}

  async add(name: string, passwordHash: string, at: Date): Promise<void> {
    await this.sql.run('INSERT INTO operators (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, failed_attempts = 0, locked_until = NULL', [name, passwordHash, at.toISOString()]);
  }

  async remove(name: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM operators WHERE name = ?', [name])) > 0;
  }

  async list(): Promise<string[]> {
    return (await this.sql.all<{ name: string }>('SELECT name FROM operators ORDER BY name')).map((r) => r.name);
  }

  get(name: string): Promise<OperatorRow | undefined> {
    return this.sql.get<OperatorRow>('SELECT name, password_hash AS "passwordHash", failed_attempts AS "failedAttempts", locked_until AS "lockedUntil" FROM operators WHERE name = ?', [name]);
  }

  async failedLogin(name: string, lockUntil: Date | undefined): Promise<void> {
    await this.sql.run('UPDATE operators SET failed_attempts = failed_attempts + 1, locked_until = COALESCE(?, locked_until) WHERE name = ?', [lockUntil?.toISOString() ?? null, name]);
  }

  async goodLogin(name: string): Promise<void> {
    await this.sql.run('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE name = ?', [name]);
  }

  async createSession(sessionId: string, operator: string, csrf: string, expires: Date): Promise<void> {
    await this.sql.run('INSERT INTO console_sessions (id_hash, operator, csrf, expires_at) VALUES (?, ?, ?, ?)', [sha256(sessionId), operator, csrf, expires.toISOString()]);
  }

  async session(sessionId: string, now: Date): Promise<{ operator: string; csrf: string } | undefined> {
    const row = await this.sql.get<{ operator: string; csrf: string; expiresAt: string }>('SELECT operator, csrf, expires_at AS "expiresAt" FROM console_sessions WHERE id_hash = ?', [sha256(sessionId)]);
    if (!row) return undefined;
    if (row.expiresAt <= now.toISOString()) {
      await this.endSession(sessionId);
      return undefined;
    }
    return { operator: row.operator, csrf: row.csrf };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.sql.run('DELETE FROM console_sessions WHERE id_hash = ?', [sha256(sessionId)]);
  }

  async audit(operator: string, action: string, detail: string, at: Date): Promise<void> {
    await this.sql.run('INSERT INTO audit_log (operator, action, detail, at) VALUES (?, ?, ?, ?)', [operator, action, detail, at.toISOString()]);
  }

  auditLog(limit = 50): Promise<Array<{ operator: string; action: string; detail: string | null; at: string }>> {
    return this.sql.all('SELECT operator, action, detail, at FROM audit_log ORDER BY id DESC LIMIT ?', [limit]);
  }
}
