import type { ProviderCodeTable } from '../core/catalogue/types.js';
import { chirpCodes } from './chirp/codes.js';
import { sandboxCodes } from './sandbox/codes.js';
import { smppCodes } from './smpp/codes.js';
import { smppNetworkCodes } from './smpp/network-codes.js';
import { smppSessionCodes } from './smpp/session-codes.js';
import { smsLogCodes } from './sms-log/codes.js';
import { smspartnerCodes } from './smspartner/codes.js';
import { telnyxCodes } from './telnyx/codes.js';
import { httpCodes } from './http/codes.js';
import { infobipCodes } from './infobip/codes.js';
import { twilioCodes } from './twilio/codes.js';
import { vonageCodes } from './vonage/codes.js';
import { vonageInsightCodes } from './vonage/insight-codes.js';
import { webexConnectCodes } from './webex-connect/codes.js';

/** Every provider's code tables: the data the catalogue is built from. One line per provider. */
export const PROVIDER_TABLES: readonly ProviderCodeTable[] = [
  ...sandboxCodes,
  ...vonageCodes,
  ...vonageInsightCodes,
  ...smsLogCodes,
  ...chirpCodes,
  ...telnyxCodes,
  ...smspartnerCodes,
  ...smppCodes,
  ...smppSessionCodes,
  ...smppNetworkCodes,
  ...webexConnectCodes,
  ...twilioCodes,
  ...infobipCodes,
  ...httpCodes,
];
