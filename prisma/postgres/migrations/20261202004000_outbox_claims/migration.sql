
-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "leaseOwner" TEXT,
ADD COLUMN     "messageId" INTEGER;

-- AlterTable
ALTER TABLE "WebhookAttempt" ALTER COLUMN "requestBody" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "WebhookDelivery_messageId_idx" ON "WebhookDelivery"("messageId");


-- A claim walks one webhook's open deliveries in id order without reading its finished ones
-- (not expressible in schema.prisma: a later `migrate diff` proposes to drop it, keep it).
CREATE INDEX "WebhookDelivery_open_idx" ON "WebhookDelivery"("webhookId", "id") WHERE "status" IN ('pending', 'failed');

-- An attempt keeps its body only when it differs from the delivery's payload.
UPDATE "WebhookAttempt" SET "requestBody" = NULL
WHERE "requestBody" = (SELECT d."payload" FROM "WebhookDelivery" d WHERE d."id" = "WebhookAttempt"."deliveryId");

