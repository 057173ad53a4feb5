-- CreateTable
CREATE TABLE "Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackId" TEXT NOT NULL,
    "timeZone" TEXT,
    "statusText" TEXT,
    "checkedAt" DATETIME,
    "frequency" TEXT NOT NULL DEFAULT 'daily',
    "weeklySince" DATETIME,
    "quietFrom" TEXT,
    "quietTo" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Absence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "until" DATETIME,
    "untilDate" TEXT,
    "note" TEXT,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Person_slackId_key" ON "Person"("slackId");

-- CreateIndex
CREATE INDEX "Absence_slackId_idx" ON "Absence"("slackId");

