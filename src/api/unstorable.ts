import { SwitchboardError } from '../core/errors.js';
import { unstorableIn } from '../core/validation/text.js';

/** Refuses a request whose path parameters, query or JSON body hold a string that cannot be stored as sent. */
export function refuseUnstorable(request: { params: unknown; query: unknown; body: unknown }): void {
  const found = unstorableIn(request.params) ?? unstorableIn(request.query) ?? unstorableIn(request.body);
  if (!found) return;
  const param = found.param || 'body';
  throw new SwitchboardError(found.code, `The parameter \`${param}\` ${found.why}.`, { param });
}
