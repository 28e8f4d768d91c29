/** Receipt statements run again and again whatever is parked, exported so that a test can check their plans. */
export const RECEIPT_SQL = {
  /** One page of parked receipts after a cursor, each saying whether its provider id is recorded by now. */
  stranded: `SELECT r.id, r.connection, r.provider_message_id AS providerMessageId,
       EXISTS (SELECT 1 FROM provider_ids p WHERE p.connection = r.connection AND p.provider_message_id = r.provider_message_id) AS known
     FROM parked_receipts r WHERE r.id > @after ORDER BY r.id LIMIT +@limit`,
};
