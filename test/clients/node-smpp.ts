import smpp from 'smpp';

/** A PDU as the `smpp` package hands it over: its fields by name. */
export interface NodeSmppPdu {
  readonly command: string;
  readonly command_status: number;
  readonly sequence_number: number;
  readonly [field: string]: unknown;
}

interface Session {
  send(pdu: unknown, cb: (pdu: NodeSmppPdu) => void): void;
  close(): void;
  on(event: string, fn: (arg: never) => void): void;
}

/**
 * An SMPP client from another code base than Switchboard's (the `smpp` npm package), promised:
 * each request resolves with its response. deliver_sm it receives are kept, and answered with
 * `deliverStatus` (ESME_ROK unless a test says otherwise; null leaves them unanswered).
 */
export class NodeSmppClient {
  readonly delivered: NodeSmppPdu[] = [];
  deliverStatus: number | null = 0;
  readonly #session: Session;
  #closed = false;

  private constructor(session: Session) {
    this.#session = session;
    session.on('deliver_sm', (pdu: never) => {
      const p = pdu as NodeSmppPdu & { response(fields: object): unknown };
      this.delivered.push(p);
      if (this.deliverStatus !== null) this.#session.send(p.response({ command_status: this.deliverStatus }), () => undefined);
    });
    session.on('close', () => (this.#closed = true));
    session.on('error', () => undefined);
  }

  static connect(port: number, tls = false): Promise<NodeSmppClient> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ url: `${tls ? 'ssmpp' : 'smpp'}://127.0.0.1:${port}`, auto_enquire_link_period: 0, rejectUnauthorized: false });
      session.once('error', reject);
      session.once(tls ? 'secureConnect' : 'connect', () => resolve(new NodeSmppClient(session)));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends any command the package knows, with its fields; resolves with the response. */
  request(command: string, fields: Record<string, unknown> = {}): Promise<NodeSmppPdu> {
    return new Promise((resolve) => this.#session.send(new smpp.PDU(command, fields), resolve));
  }

  async bind(mode: 'transmitter' | 'receiver' | 'transceiver', systemId: string, password: string): Promise<number> {
    return (await this.request(`bind_${mode}`, { system_id: systemId, password })).command_status;
  }

  close(): void {
    this.#session.close();
  }
}
