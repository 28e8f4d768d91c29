import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Infobip's status and error groups (the `groupId`/`groupName` of every status and error object in
 * send answers and delivery reports). The per-id tables of Infobip's "Response status and error
 * codes" are the same scheme as SMSPartner's HLR tables; until they are transcribed here, a code
 * reads through its group.
 */
export const infobipCodes = [
  {
    provider: 'infobip',
    context: 'status-groups',
    title: 'Status groups (status.groupId / groupName)',
    aliases: ['status'],
    rows: [
      { code: 'PENDING', name: '1', message: 'Sent or accepted, waiting for a delivery report', canonical: null, state: 'sent' },
      { code: 'UNDELIVERABLE', name: '2', message: 'The message could not be delivered', canonical: 'delivery_failed', state: 'undelivered' },
      { code: 'DELIVERED', name: '3', message: 'Delivered', canonical: null, state: 'delivered' },
      { code: 'EXPIRED', name: '4', message: 'Not delivered within its validity period', canonical: 'message_expired', state: 'expired' },
      { code: 'REJECTED', name: '5', message: 'Rejected by Infobip or the operator', canonical: 'carrier_rejected', state: 'rejected' },
    ],
  },
  {
    provider: 'infobip',
    context: 'error-groups',
    title: 'Error groups (error.groupId / groupName)',
    aliases: ['error'],
    rows: [
      { code: 'OK', name: '0', message: 'No error', canonical: null },
      { code: 'HANDSET_ERRORS', name: '1', message: 'The handset or subscriber could not take the message', canonical: 'handset_error' },
      { code: 'USER_ERRORS', name: '2', message: 'Refused for the sender or the account (blocklists, flood filters, validity)', canonical: 'carrier_rejected' },
      { code: 'OPERATOR_ERRORS', name: '3', message: 'The operator network failed or refused the message', canonical: 'network_error' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
