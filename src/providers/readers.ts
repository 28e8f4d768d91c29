import type { PayloadReader } from '../app/normalize.js';
import { infobipReaders } from './infobip/normalize.js';
import { smppReaders } from './smpp/normalize.js';
import { smspartnerReaders } from './smspartner/normalize.js';
import { telnyxReaders } from './telnyx/normalize.js';
import { twilioReaders } from './twilio/normalize.js';
import { vonageReaders } from './vonage/normalize.js';
import { webexConnectReaders } from './webex-connect/normalize.js';

/** What `normalize` can read, per provider and kind of payload: the connectors' own readers. */
export const PAYLOAD_READERS: Readonly<Record<string, Readonly<Record<string, PayloadReader>>>> = {
  smpp: smppReaders,
  twilio: twilioReaders,
  telnyx: telnyxReaders,
  vonage: vonageReaders,
  infobip: infobipReaders,
  smspartner: smspartnerReaders,
  'webex-connect': webexConnectReaders,
};
