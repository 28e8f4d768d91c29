import { COMMAND_BY_ID, COMMANDS, type BodyLayout, type CommandName } from './commands.js';

/** The fields of an SMPP 3.4 PDU body, by their names in the specification. */
export interface PduBody {
  readonly [field: string]: string | number | Buffer | readonly PduBody[] | undefined;
}

export interface Pdu {
  readonly command: CommandName;
  readonly status: number;
  readonly sequence: number;
  readonly body: PduBody;
  /** Optional parameters, by tag. */
  readonly tlvs: ReadonlyMap<number, Buffer>;
}

/**
 * A list is a count octet then that many items (submit_multi's destinations, its response's
 * unsuccessful ones); an item with `flag` starts with that octet, which chooses its fields.
 */
type List = { readonly items: Field[] } | { readonly flag: string; readonly variants: Readonly<Record<number, Field[]>> };
type FieldType = 'cstring' | 'u8' | 'u32' | 'octets' | List;
type Field = [string, FieldType];

const BIND: Field[] = [
  ['system_id', 'cstring'],
  ['password', 'cstring'],
  ['system_type', 'cstring'],
  ['interface_version', 'u8'],
  ['addr_ton', 'u8'],
  ['addr_npi', 'u8'],
  ['address_range', 'cstring'],
];

const SM: Field[] = [
  ['service_type', 'cstring'],
  ['source_addr_ton', 'u8'],
  ['source_addr_npi', 'u8'],
  ['source_addr', 'cstring'],
  ['dest_addr_ton', 'u8'],
  ['dest_addr_npi', 'u8'],
  ['destination_addr', 'cstring'],
  ['esm_class', 'u8'],
  ['protocol_id', 'u8'],
  ['priority_flag', 'u8'],
  ['schedule_delivery_time', 'cstring'],
  ['validity_period', 'cstring'],
  ['registered_delivery', 'u8'],
  ['replace_if_present_flag', 'u8'],
  ['data_coding', 'u8'],
  ['sm_default_msg_id', 'u8'],
  ['short_message', 'octets'],
];

const ADDRESS: Field[] = [
  ['dest_addr_ton', 'u8'],
  ['dest_addr_npi', 'u8'],
  ['destination_addr', 'cstring'],
];

/** submit_multi (4.5.1): the submit_sm fields with a list of destinations, each an SME address (flag 1) or a distribution list (2). */
const MULTI: Field[] = [
  ...SM.slice(0, 4),
  ['dest_address', { flag: 'dest_flag', variants: { 1: ADDRESS, 2: [['dl_name', 'cstring']] } }],
  ...SM.slice(7),
];

const LAYOUTS: Readonly<Record<BodyLayout, Field[]>> = {
  none: [],
  bind: BIND,
  bind_resp: [['system_id', 'cstring']],
  sm: SM,
  sm_resp: [['message_id', 'cstring']],
  multi: MULTI,
  multi_resp: [
    ['message_id', 'cstring'],
    ['unsuccess_sme', { items: [...ADDRESS, ['error_status_code', 'u32']] }],
  ],
  // data_sm (4.7.1): the text is in message_payload.
  data: [...SM.slice(0, 8), ['registered_delivery', 'u8'], ['data_coding', 'u8']],
  query: [
    ['message_id', 'cstring'],
    ['source_addr_ton', 'u8'],
    ['source_addr_npi', 'u8'],
    ['source_addr', 'cstring'],
  ],
  query_resp: [
    ['message_id', 'cstring'],
    ['final_date', 'cstring'],
    ['message_state', 'u8'],
    ['error_code', 'u8'],
  ],
  cancel: [
    ['service_type', 'cstring'],
    ['message_id', 'cstring'],
    ['source_addr_ton', 'u8'],
    ['source_addr_npi', 'u8'],
    ['source_addr', 'cstring'],
    ['dest_addr_ton', 'u8'],
    ['dest_addr_npi', 'u8'],
    ['destination_addr', 'cstring'],
  ],
};

export const HEADER_LENGTH = 16;
/** Larger PDUs are refused: a length field this large means a broken or hostile peer. */
export const MAX_PDU_LENGTH = 64 * 1024;

/** A PDU that could not be read; `sequence` lets the session answer it with generic_nack. */
export class PduError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly sequence: number,
  ) {
    super(message);
    this.name = 'PduError';
  }
}

function writeFields(layout: readonly Field[], body: PduBody, parts: Buffer[]): void {
  for (const [name, type] of layout) {
    const value = body[name];
    if (type === 'u8') parts.push(Buffer.from([Number(value ?? 0) & 0xff]));
    else if (type === 'u32') {
      const octets = Buffer.alloc(4);
      octets.writeUInt32BE(Number(value ?? 0) >>> 0);
      parts.push(octets);
    }
    else if (type === 'cstring') parts.push(Buffer.from(`${String(value ?? '')}\0`, 'latin1'));
    else if (type === 'octets') {
      const octets = (value as Buffer | undefined) ?? Buffer.alloc(0);
      if (octets.length > 254) throw new RangeError('short_message is limited to 254 octets; use message_payload');
      parts.push(Buffer.from([octets.length]), octets);
    } else {
      const items = (value as readonly PduBody[] | undefined) ?? [];
      if (items.length > 255) throw new RangeError(`${name} is limited to 255 items`);
      parts.push(Buffer.from([items.length]));
      for (const item of items) {
        if ('items' in type) writeFields(type.items, item, parts);
        else {
          const flag = Number(item[type.flag] ?? 0);
          const fields = type.variants[flag];
          if (!fields) throw new RangeError(`${type.flag} ${flag} is not one of ${Object.keys(type.variants).join(', ')}`);
          parts.push(Buffer.from([flag]));
          writeFields(fields, item, parts);
        }
      }
    }
  }
}

export function encodePdu(pdu: Pdu): Buffer {
  const parts: Buffer[] = [];
  const layout = LAYOUTS[COMMANDS[pdu.command].body];
  // A response with an error status carries no body (4.1-4.4: "not returned if command_status is non-zero").
  const withBody = !(pdu.command.endsWith('_resp') && pdu.status !== 0);
  if (withBody) {
    writeFields(layout, pdu.body, parts);
    for (const [tag, value] of pdu.tlvs) {
      const head = Buffer.alloc(4);
      head.writeUInt16BE(tag, 0);
      head.writeUInt16BE(value.length, 2);
      parts.push(head, value);
    }
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt32BE(HEADER_LENGTH + body.length, 0);
  header.writeUInt32BE(COMMANDS[pdu.command].id, 4);
  header.writeUInt32BE(pdu.status >>> 0, 8);
  header.writeUInt32BE(pdu.sequence >>> 0, 12);
  return Buffer.concat([header, body]);
}

/** Reads one whole PDU (header included). Throws PduError for a malformed one. */
export function decodePdu(buffer: Buffer): Pdu {
  const length = buffer.readUInt32BE(0);
  const id = buffer.readUInt32BE(4);
  const status = buffer.readUInt32BE(8);
  const sequence = buffer.readUInt32BE(12);
  const command = COMMAND_BY_ID.get(id);
  if (!command) throw new PduError(`unknown command_id 0x${id.toString(16)}`, 0x03, sequence);
  let at = HEADER_LENGTH;
  const fail = (why: string): never => {
    throw new PduError(`${command}: ${why}`, 0x02, sequence);
  };
  const layout = LAYOUTS[COMMANDS[command].body];
  const read = (fields: readonly Field[], into: Record<string, string | number | Buffer | PduBody[]>): void => {
    for (const [name, type] of fields) {
      if (type === 'u8') {
        if (at >= length) fail(`truncated at ${name}`);
        into[name] = buffer[at++]!;
      } else if (type === 'u32') {
        if (at + 4 > length) fail(`truncated at ${name}`);
        into[name] = buffer.readUInt32BE(at);
        at += 4;
      } else if (type === 'cstring') {
        const end = buffer.indexOf(0, at);
        if (end === -1 || end >= length) fail(`${name} is not NUL-terminated`);
        into[name] = buffer.toString('latin1', at, end);
        at = end + 1;
      } else if (type === 'octets') {
        if (at >= length) fail(`truncated at ${name}`);
        const n = buffer[at++]!;
        if (at + n > length) fail(`${name} runs past the PDU`);
        into[name] = Buffer.from(buffer.subarray(at, at + n));
        at += n;
      } else {
        if (at >= length) fail(`truncated at ${name}`);
        const items: PduBody[] = [];
        for (let n = buffer[at++]!; n > 0; n--) {
          const item: Record<string, string | number | Buffer | PduBody[]> = {};
          if ('items' in type) read(type.items, item);
          else {
            if (at >= length) fail(`truncated at ${type.flag}`);
            const flag = buffer[at++]!;
            const variant = type.variants[flag];
            if (!variant) return fail(`${type.flag} ${flag} is unknown`);
            item[type.flag] = flag;
            read(variant, item);
          }
          items.push(item);
        }
        into[name] = items;
      }
    }
  };
  const body: Record<string, string | number | Buffer | PduBody[]> = {};
  if (at < length) read(layout, body);
  const tlvs = new Map<number, Buffer>();
  while (at < length) {
    if (at + 4 > length) fail('truncated optional parameter');
    const tag = buffer.readUInt16BE(at);
    const n = buffer.readUInt16BE(at + 2);
    if (at + 4 + n > length) fail(`optional parameter 0x${tag.toString(16)} runs past the PDU`);
    tlvs.set(tag, Buffer.from(buffer.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  return { command, status, sequence, body, tlvs };
}

/**
 * Cuts a byte stream into PDUs. A malformed PDU is reported and skipped, and reading goes on: one
 * bad PDU from a peer never stops the session. A length outside 16..64 KiB cannot be skipped
 * safely, so it ends the stream.
 */
export class PduReader {
  #pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the PDUs and errors they complete, in order. */
  push(chunk: Buffer): (Pdu | PduError)[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const out: (Pdu | PduError)[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (length < HEADER_LENGTH || length > MAX_PDU_LENGTH) throw new PduError(`invalid command_length ${length}`, 0x02, 0);
      if (this.#pending.length < length) break;
      const whole = this.#pending.subarray(0, length);
      this.#pending = this.#pending.subarray(length);
      try {
        out.push(decodePdu(whole));
      } catch (error) {
        if (!(error instanceof PduError)) throw error;
        out.push(error);
      }
    }
    return out;
  }
}

export function pdu(command: CommandName, sequence: number, body: PduBody = {}, tlvs: ReadonlyMap<number, Buffer> = new Map(), status = 0): Pdu {
  return { command, status, sequence, body, tlvs };
}
