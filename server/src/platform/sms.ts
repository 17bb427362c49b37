// SMS goes through a provider interface; a real gateway implements it later. The development
// provider writes the message to the server log.
import type { FastifyBaseLogger } from 'fastify';

export interface SmsProvider {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  /** The last message per phone, for tests. */
  readonly sent = new Map<string, string>();
  constructor(private readonly log?: Pick<FastifyBaseLogger, 'info'>) {}
  async send(phone: string, text: string): Promise<void> {
    this.sent.set(phone, text);
    this.log?.info({ sms: { to: phone, text } }, `[短信] 发送至 ${phone}：${text}`);
  }
}
