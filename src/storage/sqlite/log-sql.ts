import type { LogDialect } from '../rows.js';

/** The message log's SQL on SQLite: the route's fields as its migration 21 indexes them. */
export const LOG_DIALECT: LogDialect = {
  placeholder: () => '?',
  // An expression, not the bare parameter: see Statement.
  limit: () => 'LIMIT +?',
  routeField: (key) => `json_extract(route, '$.${key}')`,
};
