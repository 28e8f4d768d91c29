/** SMPP 3.4 command ids (section 5.1.2.1) and the body layout each one has. */
export const COMMANDS = {
  generic_nack: { id: 0x80000000, body: 'none' },
  bind_receiver: { id: 0x00000001, body: 'bind' },
  bind_receiver_resp: { id: 0x80000001, body: 'bind_resp' },
  bind_transmitter: { id: 0x00000002, body: 'bind' },
  bind_transmitter_resp: { id: 0x80000002, body: 'bind_resp' },
  submit_sm: { id: 0x00000004, body: 'sm' },
  submit_sm_resp: { id: 0x80000004, body: 'sm_resp' },
  deliver_sm: { id: 0x00000005, body: 'sm' },
  deliver_sm_resp: { id: 0x80000005, body: 'sm_resp' },
  query_sm: { id: 0x00000003, body: 'query' },
  query_sm_resp: { id: 0x80000003, body: 'query_resp' },
  cancel_sm: { id: 0x00000008, body: 'cancel' },
  cancel_sm_resp: { id: 0x80000008, body: 'none' },
  unbind: { id: 0x00000006, body: 'none' },
  unbind_resp: { id: 0x80000006, body: 'none' },
  bind_transceiver: { id: 0x00000009, body: 'bind' },
  bind_transceiver_resp: { id: 0x80000009, body: 'bind_resp' },
  enquire_link: { id: 0x00000015, body: 'none' },
  enquire_link_resp: { id: 0x80000015, body: 'none' },
  submit_multi: { id: 0x00000021, body: 'multi' },
  submit_multi_resp: { id: 0x80000021, body: 'multi_resp' },
  data_sm: { id: 0x00000103, body: 'data' },
  data_sm_resp: { id: 0x80000103, body: 'sm_resp' },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type BodyLayout = (typeof COMMANDS)[CommandName]['body'];

export const COMMAND_BY_ID: ReadonlyMap<number, CommandName> = new Map(
  (Object.entries(COMMANDS) as [CommandName, { id: number }][]).map(([name, c]) => [c.id, name]),
);

/** The response command of a request, e.g. submit_sm -> submit_sm_resp. */
export function responseOf(command: CommandName): CommandName {
  if (command.endsWith('_resp') || command === 'generic_nack') throw new Error(`${command} has no response`);
  return `${command}_resp` as CommandName;
}

export function isResponse(command: CommandName): boolean {
  return command.endsWith('_resp') || command === 'generic_nack';
}

/** command_status values the session itself needs to name. */
export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RMSGQFUL: 0x14,
  ESME_RTHROTTLED: 0x58,
  // ESME receiver temporary application error: the SMSC delivers the PDU again later.
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
} as const;

/** Optional parameters (TLVs) used here (section 5.3.2). */
export const TLV = {
  user_message_reference: 0x0204,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  sc_interface_version: 0x0210,
  receipted_message_id: 0x001e,
  network_error_code: 0x0423,
  message_state: 0x0427,
  message_payload: 0x0424,
} as const;
