-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "circuitFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "circuitOpenUntil" TIMESTAMP(3),
ADD COLUMN     "circuitState" TEXT NOT NULL DEFAULT 'closed',
ADD COLUMN     "triggerMatch" TEXT NOT NULL DEFAULT 'first_word',
ADD COLUMN     "triggerWords" TEXT NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "Webhook_circuitState_idx" ON "Webhook"("circuitState");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_event_id_idx" ON "WebhookDelivery"("webhookId", "event", "id");

