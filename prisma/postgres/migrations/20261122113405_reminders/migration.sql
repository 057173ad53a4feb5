-- AlterTable
ALTER TABLE "PlanItem" ADD COLUMN     "remindersOffBy" TEXT;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "message" TEXT;

-- CreateTable
CREATE TABLE "Snooze" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "recipient" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Snooze_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Snooze_itemId_recipient_idx" ON "Snooze"("itemId", "recipient");

-- AddForeignKey
ALTER TABLE "Snooze" ADD CONSTRAINT "Snooze_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

