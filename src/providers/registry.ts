import type { ProviderPlugin } from './plugin.js';
import { genericHttpPlugin } from './generic-http/plugin.js';
import { infobipPlugin } from './infobip/plugin.js';
import { sandboxPlugin } from './sandbox/plugin.js';
import { smppPlugin } from './smpp/plugin.js';
import { smspartnerPlugin } from './smspartner/plugin.js';
import { telnyxPlugin } from './telnyx/plugin.js';
import { twilioPlugin } from './twilio/plugin.js';
import { vonagePlugin } from './vonage/plugin.js';
import { webexConnectPlugin } from './webex-connect/plugin.js';

/** Every provider a connection may name. One line per provider. */
export const PROVIDER_PLUGINS: ReadonlyMap<string, ProviderPlugin> = new Map([sandboxPlugin, smppPlugin, twilioPlugin, telnyxPlugin, vonagePlugin, infobipPlugin, smspartnerPlugin, webexConnectPlugin, genericHttpPlugin].map((p) => [p.provider, p]));
