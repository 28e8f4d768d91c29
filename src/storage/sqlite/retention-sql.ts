/**
 * The message log's retention (see Store.pruneMessages): a look reads messages in the order they
 * were made (ids sort by creation time) through the primary key, and what it deletes goes by id.
 */
export const RETENTION_SQL = {
  messagesAfter: `SELECT id, status, created_at FROM messages WHERE id > @after ORDER BY id LIMIT +@limit`,
  pruneEvents: `DELETE FROM message_events WHERE message_id IN (SELECT value FROM json_each(@ids))`,
  pruneProviderIds: `DELETE FROM provider_ids WHERE message_id IN (SELECT value FROM json_each(@ids))`,
  pruneMessages: `DELETE FROM messages WHERE id IN (SELECT value FROM json_each(@ids))`,
  inboundAfter: `SELECT id, NULL AS status, received_at AS created_at FROM inbound_messages WHERE id > @after ORDER BY id LIMIT +@limit`,
  pruneInbound: `DELETE FROM inbound_messages WHERE id IN (SELECT value FROM json_each(@ids))`,
} as const;
