-- CreateTable
CREATE TABLE "LogReviewSchedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL DEFAULT 'monthly',
    "dueDays" INTEGER NOT NULL DEFAULT 10,
    "startsOn" DATETIME NOT NULL,
    "updatedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LogReview" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "reviewerId" TEXT,
    "reviewerName" TEXT,
    "checks" TEXT NOT NULL DEFAULT '[]',
    "findings" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT,
    "followUp" TEXT NOT NULL DEFAULT '',
    "doneAt" DATETIME,
    "signedOffById" TEXT,
    "signedOffByName" TEXT,
    "signedOffAt" DATETIME,
    "signOffComment" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "LogReviewSchedule_organizationId_key" ON "LogReviewSchedule"("organizationId");

-- CreateIndex
CREATE INDEX "LogReview_status_dueAt_idx" ON "LogReview"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "LogReview_organizationId_periodStart_key" ON "LogReview"("organizationId", "periodStart");

