-- StatusUpdate.status may only be a status the bot knows (src/domain/statuses.ts; "not-started" is
-- the import's), so a forged value can never be saved, whatever the code above it does (issue 12).
-- SQLite adds a CHECK only by rebuilding the table, as Prisma redefines tables. A row with any other
-- status can only have come from a forged request, and breaks every reading of its item: not copied.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StatusUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemId" INTEGER NOT NULL,
    "deadlineId" INTEGER,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "StatusUpdate_status_check" CHECK ("status" IN ('not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done')),
    CONSTRAINT "StatusUpdate_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StatusUpdate_deadlineId_fkey" FOREIGN KEY ("deadlineId") REFERENCES "Deadline" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_StatusUpdate" ("id", "itemId", "deadlineId", "status", "note", "actor", "source", "dedupeKey", "createdAt")
SELECT "id", "itemId", "deadlineId", "status", "note", "actor", "source", "dedupeKey", "createdAt" FROM "StatusUpdate"
WHERE "status" IN ('not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done');
DROP TABLE "StatusUpdate";
ALTER TABLE "new_StatusUpdate" RENAME TO "StatusUpdate";
CREATE UNIQUE INDEX "StatusUpdate_dedupeKey_key" ON "StatusUpdate"("dedupeKey");
CREATE INDEX "StatusUpdate_itemId_createdAt_idx" ON "StatusUpdate"("itemId", "createdAt");
CREATE INDEX "StatusUpdate_createdAt_idx" ON "StatusUpdate"("createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
