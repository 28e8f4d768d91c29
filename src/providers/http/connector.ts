import type { Clock } from '../../app/clock.js';
import type { Connector, ConnectorCapabilities, ConnectorContext, NumberLookups, OutboundMessage, SubmitResult, WebhookReading, WebhookRequest } from '../../app/connector.js';
import { httpRequest, retryAfterMs } from './transport.js';

/** What every HTTP connection has, whatever the provider. */
export interface HttpConnectionSettings {
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  readonly timeoutMs: number;
}

export interface HttpSubmit {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * The part of an HTTP provider's connector that is the same for all: the request with its
 * deadline, what a failure before or after sending means, Retry-After on a refusal. A provider
 * says how its request is built and how its answers and webhooks read.
 */
export abstract class HttpConnector implements Connector {
  abstract readonly provider: string;
  readonly name: string;
  readonly tps: number;
  readonly window: number;
  /** HTTP needs no session: a connection is always ready. */
  readonly ready = true;
  readonly capabilities: ConnectorCapabilities;
  readonly webhooks: ((request: WebhookRequest) => WebhookReading) | null;
  /** None by default: a provider offering live lookups sets them. */
  readonly lookups: NumberLookups | null = null;

  /** @param receipts whether the provider sends receipts (default true); without, no webhooks are taken. */
  constructor(
    connection: HttpConnectionSettings,
    protected readonly clock: Clock,
    receipts = true,
  ) {
    this.name = connection.name;
    this.tps = connection.tps;
    this.window = connection.window;
    this.#timeoutMs = connection.timeoutMs;
    this.capabilities = { receipts, unicode: true, maxParts: 10 };
    this.webhooks = receipts ? (request) => this.readWebhook(request) : null;
  }

  readonly #timeoutMs: number;

  async start(_context: ConnectorContext): Promise<void> {}
  async stop(): Promise<void> {}

  async send(message: OutboundMessage): Promise<SubmitResult> {
    const { url, ...init } = this.submitRequest(message);
    const outcome = await httpRequest(url, init, this.#timeoutMs);
    if (outcome.kind === 'unknown') return { kind: 'unknown', reason: outcome.reason };
    if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
    const { status, headers, text } = outcome.response;
    const result = this.readAnswer(status, text, message);
    if (result.kind !== 'refused') return result;
    const retryAfter = retryAfterMs(headers, this.clock.now());
    return retryAfter === undefined ? result : { ...result, retryAfterMs: retryAfter };
  }

  /** The provider's request for a message. */
  protected abstract submitRequest(message: OutboundMessage): HttpSubmit;
  /** The provider's answer to it. */
  protected abstract readAnswer(status: number, text: string, message: OutboundMessage): SubmitResult;
  /** A webhook call (receipt or inbound), signature checked. */
  protected abstract readWebhook(request: WebhookRequest): WebhookReading;
}
