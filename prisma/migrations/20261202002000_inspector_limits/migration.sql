-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InspectorRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "binId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "headers" TEXT NOT NULL,
    "bodyHead" BLOB NOT NULL,
    "bodyTail" BLOB NOT NULL,
    "bodySize" INTEGER NOT NULL DEFAULT 0,
    "bodyUtf8" BOOLEAN NOT NULL DEFAULT true,
    "sourceIp" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InspectorRequest_binId_fkey" FOREIGN KEY ("binId") REFERENCES "InspectorBin" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Edited by hand: a body kept so far becomes its UTF-8 bytes, split at 64 KiB, with its size.
INSERT INTO "new_InspectorRequest" ("at", "binId", "bodyHead", "bodyTail", "bodySize", "headers", "id", "method", "path", "query", "sourceIp") SELECT "at", "binId", substr(CAST("body" AS BLOB), 1, 65536), CAST(substr(CAST("body" AS BLOB), 65537) AS BLOB), length(CAST("body" AS BLOB)), "headers", "id", "method", "path", "query", "sourceIp" FROM "InspectorRequest";
DROP TABLE "InspectorRequest";
ALTER TABLE "new_InspectorRequest" RENAME TO "InspectorRequest";
CREATE INDEX "InspectorRequest_binId_id_idx" ON "InspectorRequest"("binId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

