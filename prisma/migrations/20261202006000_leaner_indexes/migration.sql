
-- DropIndex
DROP INDEX "Message_fromUserId_idx";

-- DropIndex
DROP INDEX "MessageReceipt_userId_idx";

-- DropIndex
DROP INDEX "Webhook_botUserId_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_webhookId_createdAt_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_webhookId_event_id_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_completedAt_idx";

-- DropIndex
DROP INDEX "IncomingWebhook_botUserId_idx";

-- DropIndex
DROP INDEX "InspectorRequest_at_idx";

