-- CreateTable
CREATE TABLE "ImprovementPlan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assessmentId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "dueDate" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "completedAt" DATETIME,
    "completedInAssessmentId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SystemWork" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "steps" TEXT NOT NULL DEFAULT '[]',
    "linkControlSetAt" DATETIME,
    "linkControlSetBy" TEXT,
    "testsEndedAt" DATETIME,
    "testsEndedBy" TEXT,
    "testDataDeletedAt" DATETIME,
    "testDataDeletedBy" TEXT,
    "linkControlReleasedAt" DATETIME,
    "linkControlReleasedBy" TEXT,
    "note" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ImprovementPlan_organizationId_status_idx" ON "ImprovementPlan"("organizationId", "status");

-- CreateIndex
CREATE INDEX "ImprovementPlan_assessmentId_idx" ON "ImprovementPlan"("assessmentId");

-- CreateIndex
CREATE INDEX "SystemWork_organizationId_idx" ON "SystemWork"("organizationId");

-- CreateIndex
CREATE INDEX "SystemWork_linkControlSetAt_idx" ON "SystemWork"("linkControlSetAt");

