import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorContext, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { SwitchboardError } from '../../core/errors.js';
import { webhookParams } from '../http/params.js';
import { httpRequest, retryAfterMs, statusCode } from '../http/transport.js';
import { pick, render, templateValues } from './template.js';

/** A connection to a provider described by configuration alone: a request template and rules. */
export interface GenericHttpSettings {
  readonly name: string;
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string | undefined };
  /** How the answer is read, in order: permanent failure, temporary failure, success (as Kannel's generic SMSC). */
  readonly response: {
    readonly permanentFailure: RegExp | undefined;
    readonly temporaryFailure: RegExp | undefined;
    readonly success: RegExp | undefined;
    /** Where the provider's message id is: a JSON path, or the first group of a pattern. */
    readonly messageId: { readonly json: string } | { readonly regex: RegExp } | undefined;
  };
  /** How receipts are read: field names (dotted for JSON) and a shared token the callback URL carries. */
  readonly receipts: { readonly id: string; readonly status: string; readonly token: string | undefined } | undefined;
  readonly callbackUrl: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

/** The provider's codes for this connection: its table of the catalogue is named after the connection. */
export const OUTCOMES = { permanent: 'permanent_failure', temporary: 'temporary_failure', unrecognised: 'unrecognised_answer' } as const;

export class GenericHttpConnector implements Connector {
  readonly provider = 'generic-http';
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly ready = true;
  readonly capabilities: { receipts: boolean; unicode: boolean; maxParts: number };
  readonly webhooks: ((request: WebhookRequest) => WebhookReading) | null;

  constructor(
    private readonly settings: GenericHttpSettings,
    private readonly clock: Clock,
  ) {
    this.name = settings.name;
    this.tps = settings.tps;
    this.window = settings.window;
    this.capabilities = { receipts: settings.receipts !== undefined, unicode: true, maxParts: 10 };
    this.webhooks = settings.receipts ? (request) => this.#readReceipt(request) : null;
  }

  async start(_context: ConnectorContext): Promise<void> {}
  async stop(): Promise<void> {}

  async send(message: OutboundMessage): Promise<SubmitResult> {
    const s = this.settings;
    const values = templateValues(message, s.callbackUrl);
    const headers = Object.fromEntries(Object.entries(s.request.headers).map(([k, v]) => [k, render(v, values)]));
    const outcome = await httpRequest(
      render(s.request.url, values),
      { method: s.request.method, headers, ...(s.request.body !== undefined && { body: render(s.request.body, values) }) },
      s.timeoutMs,
    );
    if (outcome.kind === 'unknown') return { kind: 'unknown', reason: outcome.reason };
    if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
    const { status, headers: answerHeaders, text } = outcome.response;
    const raw = { status, body: text.slice(0, 2000) };
    const code = (c: string) => ({ provider: 'generic-http', context: s.name, code: c });
    const { response } = s;
    if (response.permanentFailure?.test(text)) return { kind: 'refused', code: code(OUTCOMES.permanent), raw };
    if (response.temporaryFailure?.test(text)) {
      const retryAfter = retryAfterMs(answerHeaders, this.clock.now());
      return { kind: 'refused', code: code(OUTCOMES.temporary), raw, ...(retryAfter !== undefined && { retryAfterMs: retryAfter }) };
    }
    const ok = status >= 200 && status < 300 && (response.success?.test(text) ?? true);
    if (ok) return { kind: 'accepted', providerMessageIds: [this.#messageId(text) ?? message.id], raw };
    if (status === 429 || status >= 500 || (status >= 400 && status !== 400)) return { kind: 'refused', code: statusCode(status), raw };
    return { kind: 'refused', code: code(OUTCOMES.unrecognised), raw };
  }

  #messageId(text: string): string | undefined {
    const rule = this.settings.response.messageId;
    if (!rule) return undefined;
    if ('regex' in rule) return rule.regex.exec(text)?.[1];
    try {
      return pick(JSON.parse(text), rule.json);
    } catch {
      return undefined;
    }
  }

  #readReceipt(request: WebhookRequest): WebhookReading {
    const rules = this.settings.receipts!;
    const params = webhookParams(request.url, request.headers['content-type'], request.body.toString('utf8'));
    if (rules.token !== undefined && params.token !== rules.token) {
      throw new SwitchboardError('invalid_signature', 'The receipt does not carry the token of this connection’s callback URL.');
    }
    const id = params[rules.id];
    const status = params[rules.status];
    if (!id || !status) throw new SwitchboardError('invalid_parameter', `A receipt needs ${rules.id} and ${rules.status}.`, { param: id ? rules.status : rules.id });
    return {
      receipts: [
        {
          providerMessageId: id,
          status: { provider: 'generic-http', context: `${this.name}-receipts`, code: status },
          occurredAt: null,
          raw: params,
        },
      ],
      inbound: [],
    };
  }
}
