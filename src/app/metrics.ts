import type { MessageStatus } from '../core/lifecycle.js';

/** What the application reports about its work; the metrics adapter turns it into Prometheus series. */
export interface Metrics {
  accepted(count: number, seconds: number): void;
  dispatched(connection: string, seconds: number): void;
  /** A message reached its final status: counted once per message (a read after delivery is `read`). */
  finished(status: MessageStatus, errorCode: string | null): void;
  /** A message was read, after its delivery or in place of it. */
  read(): void;
  /** A connection came up or went down (an SMPP bind). */
  connection(name: string, up: boolean): void;
}
