import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { encodePdu, PduError, PduReader, pdu, type Pdu, type PduBody } from './pdu/codec.js';
import { isResponse, responseOf, type CommandName } from './pdu/commands.js';

export interface SessionOptions {
  /** How long to wait for a response before giving up on a request. Default 10 s. */
  readonly responseTimeoutMs: number;
}

/** A request whose response did not arrive in time: its outcome is unknown. */
export class ResponseTimeout extends Error {
  constructor(readonly command: CommandName) {
    super(`no ${command} response in time`);
    this.name = 'ResponseTimeout';
  }
}

/** The connection closed while the request waited: its outcome is unknown. */
export class SessionClosed extends Error {
  constructor() {
    super('the SMPP connection closed');
    this.name = 'SessionClosed';
  }
}

interface Waiting {
  readonly command: CommandName;
  readonly resolve: (p: Pdu) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One SMPP connection, either side: numbers requests, matches responses by sequence number,
 * answers a PDU it cannot read with generic_nack and keeps reading. Incoming requests are emitted
 * as 'request'; 'close' fires once.
 */
export class SmppSession extends EventEmitter<{ request: [Pdu]; close: [Error | undefined]; error: [Error] }> {
  readonly #socket: Socket;
  readonly #reader = new PduReader();
  readonly #waiting = new Map<number, Waiting>();
  #sequence = 0;
  #closed = false;
  #unanswered = 0;

  constructor(
    socket: Socket,
    private readonly options: SessionOptions,
  ) {
    super();
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#end(error));
    socket.on('close', () => this.#end(undefined));
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests read from the peer and not answered yet (this one included, while it is handled). */
  get unanswered(): number {
    return this.#unanswered;
  }

  /** Sends a request and resolves with its response (whatever its command_status). */
  request(command: CommandName, body: PduBody = {}, tlvs: ReadonlyMap<number, Buffer> = new Map()): Promise<Pdu> {
    if (this.#closed) return Promise.reject(new SessionClosed());
    this.#sequence = this.#sequence >= 0x7fffffff ? 1 : this.#sequence + 1;
    const sequence = this.#sequence;
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(sequence);
        reject(new ResponseTimeout(command));
      }, this.options.responseTimeoutMs);
      this.#waiting.set(sequence, { command, resolve, reject, timer });
      this.#write(pdu(command, sequence, body, tlvs));
    });
  }

  /** Answers a request, with its own sequence number. */
  respond(request: Pdu, status = 0, body: PduBody = {}, tlvs: ReadonlyMap<number, Buffer> = new Map()): void {
    this.#unanswered = Math.max(0, this.#unanswered - 1);
    this.#write(pdu(responseOf(request.command), request.sequence, body, tlvs, status));
  }

  send(p: Pdu): void {
    this.#write(p);
  }

  /** Closes the connection once what was written has left (after an unbind_resp). */
  end(): void {
    this.#socket.end();
  }

  /** Closes the connection now; requests still waiting fail with SessionClosed. */
  destroy(): void {
    this.#socket.destroy();
    this.#end(undefined);
  }

  #write(p: Pdu): void {
    if (this.#closed) return;
    // PDUs written in one turn of the event loop leave in one packet.
    if (this.#socket.writableCorked === 0) {
      this.#socket.cork();
      process.nextTick(() => this.#socket.uncork());
    }
    this.#socket.write(encodePdu(p));
  }

  #onData(chunk: Buffer): void {
    let items: (Pdu | PduError)[];
    try {
      items = this.#reader.push(chunk);
    } catch (error) {
      // The stream cannot be re-synchronised after a bad length: drop the connection.
      this.emit('error', error as Error);
      this.destroy();
      return;
    }
    for (const item of items) {
      if (item instanceof PduError) {
        this.emit('error', item);
        this.#write(pdu('generic_nack', item.sequence, {}, new Map(), item.status));
        continue;
      }
      if (isResponse(item.command)) {
        const waiting = this.#waiting.get(item.sequence);
        if (!waiting) continue;
        this.#waiting.delete(item.sequence);
        clearTimeout(waiting.timer);
        waiting.resolve(item);
      } else {
        this.#unanswered += 1;
        try {
          this.emit('request', item);
        } catch (error) {
          // A handler that fails on one PDU must not take the connection (or the process) down.
          this.emit('error', error as Error);
        }
      }
    }
  }

  #end(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new SessionClosed());
    }
    this.#waiting.clear();
    this.emit('close', error);
  }
}
