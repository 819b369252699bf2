import { z } from 'zod';
import { DeliveryError } from '../../core/pipeline-ports.js';
import { errorMessage } from '../../core/errors.js';

/**
 * The Official Account's server API (api.weixin.qq.com, or an emulator's address): the
 * access token from /cgi-bin/stable_token (safe for several processes: a second caller gets the
 * same token, not a new one that revokes the first), cached until five minutes before expiry
 * and fetched again when WeChat says it is invalid; customer-service messages, subscription
 * notifications and the menu. Errors become DeliveryErrors the outbox understands.
 */
export interface OaApiOptions {
  appId: string;
  appSecret: string;
  baseUrl: string;
  timeoutMs?: number;
  now?: () => number;
}

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const resultSchema = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() }).passthrough();

/** WeChat error codes, by what the sender should do (全局返回码). */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** the user has not written in 48 hours, or the per-message quota is used: wait for the next message */
const WAIT_FOR_USER = new Set([45015, 45047, 43101]);
/** the user unfollowed or the id is not one of ours */
const CHAT_GONE = new Set([43004, 40003]);
const TRY_LATER = new Set([-1, 45009, 45011]);

export class OaApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`wechat api ${errcode}: ${errmsg}`);
    this.name = 'OaApiError';
  }
}

export class OaApi {
  private token: { value: string; until: number } | undefined;
  private fetching: Promise<string> | undefined;
  private classicToken = false;
  private readonly now: () => number;

  constructor(private readonly options: OaApiOptions) {
    this.now = options.now ?? Date.now;
  }

  /** a customer-service message (客服消息): text, or a menu message whose items come back as replies */
  async sendCustom(openId: string, body: { msgtype: 'text'; text: { content: string } } | { msgtype: 'msgmenu'; msgmenu: MsgMenu }): Promise<void> {
    await this.call('/cgi-bin/message/custom/send', { touser: openId, ...body });
  }

  /** a subscription notification (订阅通知 bizsend) */
  async sendSubscribe(openId: string, templateId: string, data: Record<string, { value: string }>, page?: string): Promise<void> {
    await this.call('/cgi-bin/message/subscribe/bizsend', { touser: openId, template_id: templateId, data, ...(page ? { page } : {}) });
  }

  async createMenu(buttons: MenuButton[]): Promise<void> {
    await this.call('/cgi-bin/menu/create', { button: buttons });
  }

  /** one call with the cached token; a token WeChat no longer accepts is fetched again once */
  private async call(path: string, body: unknown): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const result = resultSchema.parse(await this.post(`${path}?access_token=${encodeURIComponent(token)}`, body));
      const code = result.errcode ?? 0;
      if (code === 0) return;
      if (TOKEN_INVALID.has(code) && attempt === 0) continue;
      throw new OaApiError(code, result.errmsg ?? '');
    }
  }

  private async accessToken(forceRefresh: boolean): Promise<string> {
    if (!forceRefresh && this.token && this.token.until > this.now()) return this.token.value;
    this.fetching ??= this.fetchToken(forceRefresh).finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  /**
   * stable_token first; a server without it (404: an older gateway or a proxy in front of
   * WeChat) is asked with the classic GET /cgi-bin/token from then on.
   */
  private async fetchToken(forceRefresh: boolean): Promise<string> {
    const { appId, appSecret } = this.options;
    let raw: unknown;
    if (!this.classicToken) {
      raw = await this.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh }).catch((e: unknown) => {
        if (e instanceof DeliveryError && e.message.endsWith('HTTP 404')) return undefined;
        throw e;
      });
      if (raw === undefined) this.classicToken = true;
    }
    raw ??= await this.get(`/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(appId)}&secret=${encodeURIComponent(appSecret)}`);
    const error = resultSchema.parse(raw);
    if (error.errcode) throw new OaApiError(error.errcode, error.errmsg ?? '');
    const token = tokenSchema.parse(raw);
    this.token = { value: token.access_token, until: this.now() + Math.max(60, token.expires_in - 300) * 1000 };
    return token.access_token;
  }

  private async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.options.baseUrl}${path}`, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    if (!response.ok) throw new DeliveryError(`wechat api HTTP ${response.status}`, 'retry');
    return response.json();
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.options.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new DeliveryError(`wechat api HTTP ${response.status}`, 'retry');
    return response.json();
  }
}

export type MenuButton = { type: 'click'; name: string; key: string } | { name: string; sub_button: Array<{ type: 'click'; name: string; key: string }> };

export interface MsgMenu {
  head_content: string;
  list: Array<{ id: string; content: string }>;
  tail_content: string;
}

/** What the outbox should do after a failed call. */
export function deliveryErrorOf(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  if (e instanceof OaApiError) {
    if (WAIT_FOR_USER.has(e.errcode)) return new DeliveryError(e.message, 'deferred');
    if (CHAT_GONE.has(e.errcode)) return new DeliveryError(e.message, 'chat_gone');
    if (TRY_LATER.has(e.errcode) || TOKEN_INVALID.has(e.errcode)) return new DeliveryError(e.message, 'retry', 60_000);
    return new DeliveryError(e.message, 'rejected');
  }
  return new DeliveryError(errorMessage(e), 'retry');
}
