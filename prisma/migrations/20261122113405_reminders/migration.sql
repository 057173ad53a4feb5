-- AlterTable
ALTER TABLE "PlanItem" ADD COLUMN "remindersOffBy" TEXT;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "message" TEXT;

-- CreateTable
CREATE TABLE "Snooze" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "itemId" INTEGER NOT NULL,
    "recipient" TEXT NOT NULL,
    "until" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Snooze_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Snooze_itemId_recipient_idx" ON "Snooze"("itemId", "recipient");

