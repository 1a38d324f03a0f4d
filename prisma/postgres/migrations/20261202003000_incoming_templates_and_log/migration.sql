-- AlterTable
ALTER TABLE "IncomingWebhook" ADD COLUMN     "template" TEXT;

-- CreateTable
CREATE TABLE "IncomingWebhookRequest" (
    "id" SERIAL NOT NULL,
    "hookId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "headers" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "messageId" INTEGER,

    CONSTRAINT "IncomingWebhookRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncomingWebhookSample" (
    "hookId" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncomingWebhookSample_pkey" PRIMARY KEY ("hookId")
);

-- CreateIndex
CREATE INDEX "IncomingWebhookRequest_hookId_id_idx" ON "IncomingWebhookRequest"("hookId", "id");

-- AddForeignKey
ALTER TABLE "IncomingWebhookRequest" ADD CONSTRAINT "IncomingWebhookRequest_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "IncomingWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncomingWebhookSample" ADD CONSTRAINT "IncomingWebhookSample_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "IncomingWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

