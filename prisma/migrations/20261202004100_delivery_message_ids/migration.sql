-- Deliveries of message events written before the messageId column: take it from the payload.
UPDATE "WebhookDelivery" SET "messageId" = json_extract("payload", '$.data.message.id')
WHERE "messageId" IS NULL AND "event" IN ('message.created', 'message.updated', 'message.deleted');

-- Messages deleted before deletions scrubbed the delivery log: their stored payloads lose the text,
-- and their attempts' own bodies (form-encoded ones) are dropped (the log then shows the payload).
UPDATE "WebhookDelivery" SET "payload" = json_set("payload", '$.data.message.body', json('{"text":""}'), '$.data.message.deleted', json('true'))
WHERE "messageId" IN (SELECT "id" FROM "Message" WHERE "deleted" = true);

UPDATE "WebhookAttempt" SET "requestBody" = NULL
WHERE "requestBody" IS NOT NULL AND "deliveryId" IN (
  SELECT d."id" FROM "WebhookDelivery" d JOIN "Message" m ON m."id" = d."messageId" WHERE m."deleted" = true);
