import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Chirp's standard codes for SMS/MMS failures on Telnyx, from the "Error Code Mapping" table of its
 * "SMS Error Codes" page (seed 004_406fff21109a2107.txt). `name` is the Scenario column; the HTTP
 * column is kept in `description`. The two `message_undeliverable` rows are both kept.
 */
export const chirpCodes = [
  {
    provider: 'chirp',
    context: 'error-code-mapping',
    title: 'Error Code Mapping',
    aliases: ['errors'],
    rows: [
      { code: 'invalid_phone_number', name: 'Invalid destination number', message: 'The destination phone number is not valid or cannot receive SMS.', description: 'HTTP 400', canonical: 'invalid_phone_number' },
      { code: 'phone_number_not_assigned', name: 'Number not assigned', message: 'The sending phone number is not assigned to your app.', description: 'HTTP 400', canonical: 'sender_not_authorized' },
      { code: 'media_too_large', name: 'Media too large', message: 'The MMS media attachment exceeds the 5 MB size limit.', description: 'HTTP 400', canonical: 'media_too_large' },
      {
        code: 'message_undeliverable',
        name: 'Carrier rejected',
        message: 'The carrier rejected the message (spam filter, invalid route, etc.).',
        description: 'Scenario: Carrier rejected. HTTP 402',
        canonical: 'carrier_rejected',
        state: 'undelivered',
        note: 'The table maps two scenarios to message_undeliverable; both rows are kept, told apart by the scenario (name).',
      },
      {
        code: 'message_undeliverable',
        name: 'Destination unreachable',
        message: "The recipient's phone is unreachable or the number is disconnected.",
        description: 'Scenario: Destination unreachable. HTTP 402',
        canonical: 'destination_unreachable',
        state: 'undelivered',
        note: 'The table maps two scenarios to message_undeliverable; both rows are kept, told apart by the scenario (name).',
      },
      { code: 'telnyx_api_error', name: 'Telnyx API error', message: 'An unexpected error occurred with the Telnyx API.', description: 'HTTP 424', canonical: 'provider_error' },
      { code: 'telnyx_api_unavailable', name: 'Telnyx service down', message: 'Telnyx API is temporarily unavailable.', description: 'HTTP 424', permanent: false, permanent_source: 'Its message (temporarily unavailable)', canonical: 'provider_unavailable' },
      { code: 'rate_limit_exceeded', name: 'Rate limited', message: 'Too many requests sent in a short period.', description: 'HTTP 429', canonical: 'rate_limit_exceeded' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
