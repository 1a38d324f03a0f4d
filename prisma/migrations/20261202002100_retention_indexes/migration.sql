-- CreateIndex
CREATE INDEX "Message_fromUserId_idx" ON "Message"("fromUserId");

-- CreateIndex
CREATE INDEX "MessageReceipt_userId_idx" ON "MessageReceipt"("userId");

-- CreateIndex
CREATE INDEX "Webhook_botUserId_idx" ON "Webhook"("botUserId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_completedAt_idx" ON "WebhookDelivery"("completedAt");

-- CreateIndex
CREATE INDEX "IncomingWebhook_botUserId_idx" ON "IncomingWebhook"("botUserId");

-- CreateIndex
CREATE INDEX "InspectorRequest_at_idx" ON "InspectorRequest"("at");

