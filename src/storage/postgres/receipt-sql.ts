/** Receipt statements run again and again whatever is parked, exported so that a test can check their plans. */
export const RECEIPT_SQL = {
  /**
   * One page of parked receipts after a cursor, each saying whether its provider id is recorded by
   * now. A lateral look-up per receipt: as an EXISTS, the planner hashes the whole provider_ids table.
   */
  stranded: `SELECT r.id, r.connection, r.provider_message_id AS "providerMessageId", k.known IS NOT NULL AS known
     FROM (SELECT id, connection, provider_message_id FROM parked_receipts WHERE id > $1 ORDER BY id LIMIT $2) r
     LEFT JOIN LATERAL (SELECT true AS known FROM provider_ids p WHERE p.connection = r.connection AND p.provider_message_id = r.provider_message_id LIMIT 1) k ON true`,
};
