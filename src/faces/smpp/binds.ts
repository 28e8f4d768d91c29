import type { FaceCaller, FaceCredentials } from '../../app/credentials.js';
import { addressAllowed } from '../../app/ip-allowlist.js';
import { allowsProtocol } from '../../core/access/protocols.js';
import { SwitchboardError } from '../../core/errors.js';
import { sameSecret } from '../../providers/http/params.js';
import { statusValue } from './statuses.js';

/** A bind refused: its command_status, and why (for the log; the client sees the status only). */
export interface BindRefusal {
  readonly status: number;
  readonly why: string;
}

/**
 * Checks a bind's system_id and password against the SMPP credentials, then the account: its
 * status (a disabled or blocked account, or one under such), the protocols it may use, and the
 * address the bind comes from. The bind limit is held apart (it needs the session).
 */
export async function authorizeBind(credentials: FaceCredentials, systemId: string, password: string, address: string): Promise<FaceCaller | BindRefusal> {
  let caller: FaceCaller | undefined;
  try {
    caller = await credentials.authenticate('smpp', systemId);
  } catch (error) {
    if (!(error instanceof SwitchboardError)) throw error;
    return { status: statusValue('ESME_RBINDFAIL'), why: error.message };
  }
  if (!caller) return { status: statusValue('ESME_RINVSYSID'), why: `no active SMPP credential has system_id ${JSON.stringify(systemId)}` };
  if (!sameSecret(password, caller.credential.secret)) return { status: statusValue('ESME_RINVPASWD'), why: `wrong password for ${systemId}` };
  if (!allowsProtocol(caller.payer.protocols, 'smpp')) {
    return { status: statusValue('ESME_RBINDFAIL'), why: `account ${caller.payer.accountId} may not use SMPP; it may use: ${caller.payer.protocols!.join(', ') || 'nothing'}` };
  }
  // The account's IP allowlist (and its ancestors') holds for binds as for API requests.
  if (!addressAllowed(caller.ipAllowlists, address)) return { status: statusValue('ESME_RBINDFAIL'), why: `account ${caller.payer.accountId} may not bind from ${address}` };
  return caller;
}
