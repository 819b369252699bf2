import type { WechatConfig } from '../../config/config.js';
import type { PuppetInterface } from 'wechaty-puppet/impls';

/**
 * The puppet named in config, imported only when used (each pulls in its own protocol stack).
 * - official-account: a WeChat Official Account via its server callback (the durable choice);
 * - wechat4u: a personal account over the web protocol (may be logged out or restricted);
 * - service: a hosted puppet reached with a token;
 * - mock: an offline puppet for trying the adapter without an account.
 */
export async function createPuppet(config: WechatConfig): Promise<PuppetInterface> {
  switch (config.puppet) {
    case 'wechaty-puppet-official-account': {
      const { PuppetOA } = await import('wechaty-puppet-official-account');
      return new PuppetOA({ appId: config.appId, appSecret: config.appSecret, token: config.token, port: config.port }) as unknown as PuppetInterface;
    }
    case 'wechaty-puppet-service': {
      const { PuppetService } = await import('wechaty-puppet-service');
      return new PuppetService({ token: config.serviceToken }) as unknown as PuppetInterface;
    }
    case 'wechaty-puppet-wechat4u': {
      const { PuppetWechat4u } = await import('wechaty-puppet-wechat4u');
      return new PuppetWechat4u() as unknown as PuppetInterface;
    }
    case 'wechaty-puppet-mock': {
      const { PuppetMock, mock } = await import('wechaty-puppet-mock');
      return new PuppetMock({ mocker: new mock.Mocker() }) as unknown as PuppetInterface;
    }
  }
}
