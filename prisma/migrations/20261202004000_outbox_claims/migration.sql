
-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "leaseOwner" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "messageId" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deliveryId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "requestHeaders" TEXT NOT NULL,
    "requestBody" TEXT,
    "responseStatus" INTEGER,
    "responseHeaders" TEXT,
    "responseBody" TEXT,
    "error" TEXT,
    CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_WebhookAttempt" ("deliveryId", "durationMs", "error", "id", "number", "requestBody", "requestHeaders", "responseBody", "responseHeaders", "responseStatus", "startedAt") SELECT "deliveryId", "durationMs", "error", "id", "number", "requestBody", "requestHeaders", "responseBody", "responseHeaders", "responseStatus", "startedAt" FROM "WebhookAttempt";
DROP TABLE "WebhookAttempt";
ALTER TABLE "new_WebhookAttempt" RENAME TO "WebhookAttempt";
CREATE INDEX "WebhookAttempt_deliveryId_number_idx" ON "WebhookAttempt"("deliveryId", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "WebhookDelivery_messageId_idx" ON "WebhookDelivery"("messageId");


-- A claim walks one webhook's open deliveries in id order without reading its finished ones
-- (not expressible in schema.prisma: a later `migrate diff` proposes to drop it, keep it).
CREATE INDEX "WebhookDelivery_open_idx" ON "WebhookDelivery"("webhookId", "id") WHERE "status" IN ('pending', 'failed');

-- An attempt keeps its body only when it differs from the delivery's payload.
UPDATE "WebhookAttempt" SET "requestBody" = NULL
WHERE "requestBody" = (SELECT d."payload" FROM "WebhookDelivery" d WHERE d."id" = "WebhookAttempt"."deliveryId");

