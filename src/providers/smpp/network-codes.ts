import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * GSM MAP error codes (3GPP TS 29.002), as SMSCs report them in a receipt's network_error_code
 * parameter (network type 3, GSM). The same numbers head SMSPartner's HLR handset errors.
 */
export const smppNetworkCodes = [
  {
    provider: 'smpp',
    context: 'gsm-map-error',
    title: 'network_error_code, GSM (MAP error codes, 3GPP TS 29.002)',
    aliases: ['map', 'network-error-code'],
    match: 'integer',
    rows: [
      { code: '1', name: 'unknownSubscriber', message: 'Unknown subscriber: no such number in the HLR', canonical: 'unknown_subscriber' },
      { code: '5', name: 'unidentifiedSubscriber', message: 'Unidentified subscriber', canonical: 'absent_subscriber' },
      { code: '6', name: 'absentSubscriberSM', message: 'Absent subscriber for SM: the phone did not answer paging', canonical: 'absent_subscriber' },
      { code: '9', name: 'illegalSubscriber', message: 'Illegal subscriber: authentication failed', canonical: 'subscriber_not_provisioned' },
      { code: '11', name: 'teleserviceNotProvisioned', message: 'SMS teleservice not provisioned for the subscriber', canonical: 'subscriber_not_provisioned' },
      { code: '12', name: 'illegalEquipment', message: 'Illegal equipment: the handset is barred (EIR)', canonical: 'subscriber_not_provisioned' },
      { code: '13', name: 'callBarred', message: 'Call barred: the subscriber or the operator bars SMS', canonical: 'destination_barred' },
      { code: '21', name: 'facilityNotSupported', message: 'Facility not supported by the visited network', canonical: 'roaming_not_allowed' },
      { code: '27', name: 'absentSubscriber', message: 'Absent subscriber: the phone is off or out of coverage', canonical: 'absent_subscriber' },
      { code: '31', name: 'subscriberBusyForMT-SMS', message: 'Subscriber busy for MT SMS', canonical: 'handset_busy' },
      { code: '32', name: 'sm-DeliveryFailure', message: 'SM delivery failure (memory full, equipment or protocol error)', canonical: 'handset_error' },
      { code: '33', name: 'messageWaitingListFull', message: 'Message waiting list full', canonical: 'handset_storage_full' },
      { code: '34', name: 'systemFailure', message: 'System failure in the network', canonical: 'network_error' },
      { code: '35', name: 'dataMissing', message: 'Data missing', canonical: 'network_error' },
      { code: '36', name: 'unexpectedDataValue', message: 'Unexpected data value', canonical: 'network_error' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
