/**
 * The message log's retention (see Store.pruneMessages): a look reads messages in the order they
 * were made (ids sort by creation time) through the primary key, and what it deletes goes by id.
 */
export const RETENTION_SQL = {
  /** ($1 after, $2 limit) */
  messagesAfter: `SELECT id, status, created_at FROM messages WHERE id > $1 ORDER BY id LIMIT $2`,
  /** Messages ($1 ids) with their events and the provider ids receipts are matched on. */
  pruneMessages: `WITH events AS (DELETE FROM message_events WHERE message_id = ANY($1::text[])),
       provider AS (DELETE FROM provider_ids WHERE message_id = ANY($1::text[]))
     DELETE FROM messages WHERE id = ANY($1::text[])`,
  inboundAfter: `SELECT id, NULL AS status, received_at AS created_at FROM inbound_messages WHERE id > $1 ORDER BY id LIMIT $2`,
  pruneInbound: `DELETE FROM inbound_messages WHERE id = ANY($1::text[])`,
} as const;
