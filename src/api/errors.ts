import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalogue } from '../core/catalogue/catalogue.js';
import type { CanonicalCode } from '../core/catalogue/canonical.js';
import { SwitchboardError } from '../core/errors.js';
import { BODY_LIMIT_BYTES } from './json-body.js';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** "/to/3" -> "to[3]"; "/to" -> "to". */
function paramOf(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

/** A schema validation failure as a canonical error naming the parameter. */
function fromValidation(issues: readonly AjvIssue[], context: string | undefined): SwitchboardError {
  // Ajv reports each branch of a union; a size limit says most, then the deepest issue.
  const issue = issues.find((i) => i.keyword === 'maxItems') ?? [...issues].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
  const where = context === 'querystring' ? 'query parameter' : 'parameter';
  if (issue.keyword === 'required') {
    const name = String(issue.params.missingProperty ?? '');
    const param = [paramOf(issue.instancePath), name].filter(Boolean).join('.');
    return new SwitchboardError('missing_parameter', `The ${where} \`${param}\` is required.`, { param });
  }
  if (issue.keyword === 'additionalProperties') {
    const param = [paramOf(issue.instancePath), String(issue.params.additionalProperty ?? '')].filter(Boolean).join('.');
    return new SwitchboardError('invalid_parameter', `Unknown ${where} \`${param}\`.`, { param });
  }
  const param = paramOf(issue.instancePath);
  // A send's recipients, a lookup's numbers.
  if ((param === 'to' || param === 'numbers') && issue.keyword === 'maxItems') {
    return new SwitchboardError('too_many_recipients', `A request may name at most ${String(issue.params.limit)} ${param === 'to' ? 'recipients' : 'numbers'}.`, { param });
  }
  const body = param === '' ? 'The request body must be a JSON object.' : `The ${where} \`${param}\` ${issue.message ?? 'is invalid'}.`;
  return new SwitchboardError(param === '' ? 'invalid_json' : 'invalid_parameter', body, param === '' ? {} : { param });
}

const FASTIFY_CODES: Readonly<Record<string, CanonicalCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_BAD_URL: 'invalid_parameter',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid_parameter',
};

/** Any error thrown while handling a request, as a canonical error. Unknown ones are internal. */
export function toSwitchboardError(error: FastifyError | Error): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) return fromValidation(fe.validation, fe.validationContext);
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped === 'payload_too_large') return new SwitchboardError(mapped, `The request body is larger than the ${BODY_LIMIT_BYTES / 1024 / 1024} MiB (${BODY_LIMIT_BYTES} bytes) accepted.`);
  if (mapped) return new SwitchboardError(mapped, mapped === 'invalid_json' ? `The request body is not valid JSON: ${fe.message}` : fe.message);
  if (fe.statusCode === 404) return new SwitchboardError('not_found', fe.message);
  return new SwitchboardError('internal_error', 'Switchboard hit an unexpected error. Nothing accepted before it was lost.');
}

/** The canonical error body: `{ error: { type, code, message, doc_url, param?, provider?, rule? } }`. */
export function errorBody(catalogue: Catalogue, error: SwitchboardError) {
  const view = catalogue.canonical(error.code);
  return {
    error: {
      type: view.type,
      code: error.code,
      message: error.message,
      doc_url: view.doc_url,
      ...(error.param !== undefined && { param: error.param }),
      ...(error.provider !== undefined && { provider: error.provider }),
      ...(error.rule !== undefined && { rule: error.rule }),
    },
  };
}

export function sendError(catalogue: Catalogue, request: FastifyRequest, reply: FastifyReply, raw: FastifyError | Error): FastifyReply {
  const error = toSwitchboardError(raw);
  const status = catalogue.canonical(error.code).http_status;
  if (status >= 500) request.log.error({ err: raw }, 'request failed');
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  else if (error.code === 'rate_limit_exceeded' && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  return reply.code(status).type('application/json').send(errorBody(catalogue, error));
}
