import { Type, type TSchema } from 'typebox';
import type { Clock } from '../app/clock.js';
import type { Connector } from '../app/connector.js';
import type { ProviderCodeTable } from '../core/catalogue/types.js';

/** What a connector may be given when it is built. */
export interface ConnectorDeps {
  readonly clock: Clock;
  /** How providers reach this server (no trailing slash): the base of webhook URLs. */
  readonly publicUrl: string;
}

/**
 * A provider as the configuration knows it: the schema of a connection's settings (the whole
 * connection object, `name` and `provider` included) and how to build its connector.
 */
export interface ProviderPlugin {
  readonly provider: string;
  readonly settings: TSchema;
  create(settings: Record<string, unknown>, deps: ConnectorDeps): Connector;
  /** Code tables a connection's own settings define (a provider described by configuration). */
  tables?(settings: Record<string, unknown>): ProviderCodeTable[];
}

/** The `tps` setting every provider takes: a number, or 0 for no limit (as Kannel without `throughput`). */
export function tpsSetting(what: string, defaultTps: number | 'unlimited') {
  return Type.Optional(Type.Number({ minimum: 0, description: `${what} per second; 0: no limit; default ${defaultTps}` }));
}

/** The connector's pace from the setting: Infinity means it sends as fast as its window allows. */
export function tpsOf(tps: number | undefined, defaultTps: number): number {
  return tps === 0 ? Number.POSITIVE_INFINITY : (tps ?? defaultTps);
}
