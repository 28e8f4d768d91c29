import { SwitchboardError } from '../../core/errors.js';

/** The lists and objects SMSPartner's JSON requests carry: kept whole by the parameter reader. */
export const NESTED = ['SMSList', 'SMSStatut_List', 'parameters'];

/** A nested parameter's value; undefined when absent, refused (naming it) when not JSON, as a form would send it. */
export function nested(params: Readonly<Record<string, string>>, name: string): unknown {
  const text = params[name];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SwitchboardError('invalid_parameter', `${name} must be given in a JSON body, as a list or an object.`, { param: name });
  }
}
