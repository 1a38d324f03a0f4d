-- AlterTable (edited by hand: a body kept so far becomes its UTF-8 bytes, split at 64 KiB, with its size)
ALTER TABLE "InspectorRequest" ADD COLUMN     "bodyHead" BYTEA,
ADD COLUMN     "bodySize" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bodyTail" BYTEA,
ADD COLUMN     "bodyUtf8" BOOLEAN NOT NULL DEFAULT true;
UPDATE "InspectorRequest" SET
  "bodyHead" = substring(convert_to("body", 'UTF8') from 1 for 65536),
  "bodyTail" = substring(convert_to("body", 'UTF8') from 65537),
  "bodySize" = octet_length(convert_to("body", 'UTF8'));
ALTER TABLE "InspectorRequest" DROP COLUMN "body",
ALTER COLUMN "bodyHead" SET NOT NULL,
ALTER COLUMN "bodyTail" SET NOT NULL;
