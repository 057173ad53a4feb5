-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Plan" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "startsOn" TEXT NOT NULL,
    "endsOn" TEXT NOT NULL,
    "sourceFile" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Theme" (
    "id" SERIAL NOT NULL,
    "planId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "position" INTEGER NOT NULL,

    CONSTRAINT "Theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanItem" (
    "id" SERIAL NOT NULL,
    "ref" TEXT NOT NULL,
    "refKey" TEXT NOT NULL,
    "planId" INTEGER NOT NULL,
    "themeId" INTEGER,
    "kind" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "section" TEXT,
    "leadText" TEXT,
    "deadlineText" TEXT,
    "comments" TEXT,
    "priority" BOOLEAN NOT NULL DEFAULT false,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "PlanItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "fullName" TEXT,
    "kind" TEXT NOT NULL,
    "aliases" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ItemLead" (
    "itemId" INTEGER NOT NULL,
    "leadId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ItemLead_pkey" PRIMARY KEY ("itemId","leadId")
);

-- CreateTable
CREATE TABLE "LeadOwner" (
    "id" SERIAL NOT NULL,
    "leadId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "slackId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeadOwner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deadline" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "words" TEXT NOT NULL,
    "part" TEXT,
    "rule" TEXT NOT NULL,
    "dueMonth" TEXT,
    "fromMonth" TEXT,
    "untilMonth" TEXT,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "Deadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ItemDependency" (
    "itemId" INTEGER NOT NULL,
    "dependsOnId" INTEGER NOT NULL,
    "condition" TEXT NOT NULL,

    CONSTRAINT "ItemDependency_pkey" PRIMARY KEY ("itemId","dependsOnId")
);

-- CreateTable
CREATE TABLE "StatusUpdate" (
    "id" SERIAL NOT NULL,
    "itemId" INTEGER NOT NULL,
    "deadlineId" INTEGER,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" SERIAL NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3),
    "slackTs" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Plan_slug_key" ON "Plan"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Theme_code_key" ON "Theme"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanItem_ref_key" ON "PlanItem"("ref");

-- CreateIndex
CREATE UNIQUE INDEX "PlanItem_refKey_key" ON "PlanItem"("refKey");

-- CreateIndex
CREATE INDEX "PlanItem_planId_position_idx" ON "PlanItem"("planId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_name_key" ON "Lead"("name");

-- CreateIndex
CREATE INDEX "ItemLead_leadId_idx" ON "ItemLead"("leadId");

-- CreateIndex
CREATE UNIQUE INDEX "LeadOwner_leadId_kind_slackId_key" ON "LeadOwner"("leadId", "kind", "slackId");

-- CreateIndex
CREATE INDEX "Deadline_itemId_idx" ON "Deadline"("itemId");

-- CreateIndex
CREATE UNIQUE INDEX "StatusUpdate_dedupeKey_key" ON "StatusUpdate"("dedupeKey");

-- CreateIndex
CREATE INDEX "StatusUpdate_itemId_createdAt_idx" ON "StatusUpdate"("itemId", "createdAt");

-- CreateIndex
CREATE INDEX "StatusUpdate_createdAt_idx" ON "StatusUpdate"("createdAt");

-- CreateIndex
CREATE INDEX "Meeting_startsAt_idx" ON "Meeting"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "Theme" ADD CONSTRAINT "Theme_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanItem" ADD CONSTRAINT "PlanItem_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanItem" ADD CONSTRAINT "PlanItem_themeId_fkey" FOREIGN KEY ("themeId") REFERENCES "Theme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemLead" ADD CONSTRAINT "ItemLead_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemLead" ADD CONSTRAINT "ItemLead_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeadOwner" ADD CONSTRAINT "LeadOwner_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deadline" ADD CONSTRAINT "Deadline_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemDependency" ADD CONSTRAINT "ItemDependency_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ItemDependency" ADD CONSTRAINT "ItemDependency_dependsOnId_fkey" FOREIGN KEY ("dependsOnId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusUpdate" ADD CONSTRAINT "StatusUpdate_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "PlanItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusUpdate" ADD CONSTRAINT "StatusUpdate_deadlineId_fkey" FOREIGN KEY ("deadlineId") REFERENCES "Deadline"("id") ON DELETE SET NULL ON UPDATE CASCADE;

