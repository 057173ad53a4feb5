-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "batchKey" TEXT;

-- CreateIndex
CREATE INDEX "Notification_batchKey_idx" ON "Notification"("batchKey");

