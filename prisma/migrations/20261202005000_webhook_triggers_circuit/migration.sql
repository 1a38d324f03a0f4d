-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Webhook" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "roomId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "method" TEXT NOT NULL DEFAULT 'POST',
    "contentType" TEXT NOT NULL DEFAULT 'application/json',
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "verificationSignature" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "previousSecret" TEXT,
    "previousSecretExpiresAt" DATETIME,
    "headers" TEXT NOT NULL DEFAULT '{}',
    "replyEnabled" BOOLEAN NOT NULL DEFAULT false,
    "triggerWords" TEXT NOT NULL DEFAULT '[]',
    "triggerMatch" TEXT NOT NULL DEFAULT 'first_word',
    "botUserId" INTEGER NOT NULL,
    "deadStreak" INTEGER NOT NULL DEFAULT 0,
    "circuitState" TEXT NOT NULL DEFAULT 'closed',
    "circuitFailures" INTEGER NOT NULL DEFAULT 0,
    "circuitOpenUntil" DATETIME,
    "deletedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Webhook_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Webhook" ("botUserId", "contentType", "createdAt", "deadStreak", "deletedAt", "disabledReason", "enabled", "events", "headers", "id", "maxAttempts", "method", "name", "previousSecret", "previousSecretExpiresAt", "replyEnabled", "roomId", "secret", "updatedAt", "url", "verificationSignature") SELECT "botUserId", "contentType", "createdAt", "deadStreak", "deletedAt", "disabledReason", "enabled", "events", "headers", "id", "maxAttempts", "method", "name", "previousSecret", "previousSecretExpiresAt", "replyEnabled", "roomId", "secret", "updatedAt", "url", "verificationSignature" FROM "Webhook";
DROP TABLE "Webhook";
ALTER TABLE "new_Webhook" RENAME TO "Webhook";
CREATE INDEX "Webhook_roomId_idx" ON "Webhook"("roomId");
CREATE INDEX "Webhook_botUserId_idx" ON "Webhook"("botUserId");
CREATE INDEX "Webhook_circuitState_idx" ON "Webhook"("circuitState");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_event_id_idx" ON "WebhookDelivery"("webhookId", "event", "id");

