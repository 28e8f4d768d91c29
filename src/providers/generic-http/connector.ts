import type { Clock } from '../../app/clock.js';
import type { OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { HttpConnector, type HttpConnectionSettings, type HttpSubmit } from '../http/connector.js';
import { statusCode } from '../http/transport.js';
import { pick, render, templateValues } from './template.js';
import { readCallback, type CallbackRules } from './webhook.js';

/** A connection to a provider described by configuration alone: a request template and rules. */
export interface GenericHttpSettings extends HttpConnectionSettings {
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body: string | undefined };
  /** How the answer is read, in order: permanent failure, temporary failure, success (as Kannel's generic SMSC). */
  readonly response: {
    readonly permanentFailure: RegExp | undefined;
    readonly temporaryFailure: RegExp | undefined;
    readonly success: RegExp | undefined;
    /** Where the provider's message id is: a JSON path, or the first group of a pattern. */
    readonly messageId: { readonly json: string } | { readonly regex: RegExp } | undefined;
  };
  /** How callbacks are authenticated and read; none when the provider sends no receipts. */
  readonly receipts: CallbackRules | undefined;
  readonly callbackUrl: string;
}

/** The codes this connector reports; its table of the catalogue is named after the connection. */
export const OUTCOMES = { permanent: 'permanent_failure', temporary: 'temporary_failure', unrecognised: 'unrecognised_answer' } as const;

export class GenericHttpConnector extends HttpConnector {
  readonly provider = 'generic-http';

  constructor(
    private readonly settings: GenericHttpSettings,
    clock: Clock,
  ) {
    super(settings, clock, settings.receipts !== undefined);
  }

  protected submitRequest(message: OutboundMessage): HttpSubmit {
    const { request, callbackUrl } = this.settings;
    const values = templateValues(message, callbackUrl);
    return {
      url: render(request.url, values),
      method: request.method,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, render(v, values)])),
      ...(request.body !== undefined && { body: render(request.body, values) }),
    };
  }

  protected readAnswer(status: number, text: string, message: OutboundMessage): SubmitResult {
    const { response, name } = this.settings;
    const raw = { status, body: text.slice(0, 2000) };
    const code = (c: string) => ({ provider: 'generic-http', context: name, code: c });
    if (response.permanentFailure?.test(text)) return { kind: 'refused', code: code(OUTCOMES.permanent), raw };
    if (response.temporaryFailure?.test(text)) return { kind: 'refused', code: code(OUTCOMES.temporary), raw };
    if (status >= 200 && status < 300 && (response.success?.test(text) ?? true)) {
      return { kind: 'accepted', providerMessageIds: [this.#messageId(text) ?? message.id], raw };
    }
    if (status === 429 || status >= 401) return { kind: 'refused', code: statusCode(status), raw };
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

  protected readWebhook(request: WebhookRequest): WebhookReading {
    return readCallback(this.name, this.settings.receipts!, request);
  }
}
