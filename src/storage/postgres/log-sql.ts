import type { LogDialect } from '../rows.js';

/** The message log's SQL on PostgreSQL: the route's fields as its migration 21 indexes them. */
export const LOG_DIALECT: LogDialect = {
  placeholder: (n) => `$${n}`,
  limit: (n) => `LIMIT $${n}`,
  routeField: (key) => `(route::json ->> '${key}')`,
};
