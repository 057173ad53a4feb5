-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "slackId" TEXT NOT NULL,
    "timeZone" TEXT,
    "statusText" TEXT,
    "checkedAt" TIMESTAMP(3),
    "frequency" TEXT NOT NULL DEFAULT 'daily',
    "weeklySince" TIMESTAMP(3),
    "quietFrom" TEXT,
    "quietTo" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Absence" (
    "id" SERIAL NOT NULL,
    "slackId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3),
    "untilDate" TEXT,
    "note" TEXT,
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Absence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Person_slackId_key" ON "Person"("slackId");

-- CreateIndex
CREATE INDEX "Absence_slackId_idx" ON "Absence"("slackId");

