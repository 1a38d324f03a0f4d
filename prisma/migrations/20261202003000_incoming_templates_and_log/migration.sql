-- AlterTable
ALTER TABLE "IncomingWebhook" ADD COLUMN "template" TEXT;

-- CreateTable
CREATE TABLE "IncomingWebhookRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hookId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "headers" TEXT NOT NULL,
    "body" BLOB NOT NULL,
    "size" INTEGER NOT NULL,
    "messageId" INTEGER,
    CONSTRAINT "IncomingWebhookRequest_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "IncomingWebhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IncomingWebhookSample" (
    "hookId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "body" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IncomingWebhookSample_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "IncomingWebhook" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "IncomingWebhookRequest_hookId_id_idx" ON "IncomingWebhookRequest"("hookId", "id");

