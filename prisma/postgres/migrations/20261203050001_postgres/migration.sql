-- CreateTable
CREATE TABLE "ArchivedMonth" (
    "id" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "sourceIndex" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "docCount" DOUBLE PRECISION,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "snapshotAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "restoredAt" TIMESTAMP(3),
    "restoredBy" TEXT,
    "restoreReason" TEXT,
    "expiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArchivedMonth_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogReviewSchedule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL DEFAULT 'monthly',
    "dueDays" INTEGER NOT NULL DEFAULT 10,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LogReviewSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogReview" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "reviewerId" TEXT,
    "reviewerName" TEXT,
    "checks" TEXT NOT NULL DEFAULT '[]',
    "findings" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT,
    "followUp" TEXT NOT NULL DEFAULT '',
    "doneAt" TIMESTAMP(3),
    "signedOffById" TEXT,
    "signedOffByName" TEXT,
    "signedOffAt" TIMESTAMP(3),
    "signOffComment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LogReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Equipment" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "assetNo" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT,
    "nodeId" TEXT,
    "terminalId" TEXT,
    "installedOn" TIMESTAMP(3),
    "maintenanceEnd" TIMESTAMP(3),
    "plannedRenewal" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'in_service',
    "disposedOn" TIMESTAMP(3),
    "wipeMethod" TEXT,
    "wipedBy" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Equipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardRecord" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "issuedOn" TIMESTAMP(3),
    "expiresOn" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'active',
    "lostAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedBy" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CardRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardLoan" (
    "id" SERIAL NOT NULL,
    "recordId" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "lentAt" TIMESTAMP(3) NOT NULL,
    "lentBy" TEXT NOT NULL,
    "dueOn" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "receivedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardLoan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImprovementPlan" (
    "id" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "completedAt" TIMESTAMP(3),
    "completedInAssessmentId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImprovementPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SystemWork" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "vendor" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "steps" TEXT NOT NULL DEFAULT '[]',
    "linkControlSetAt" TIMESTAMP(3),
    "linkControlSetBy" TEXT,
    "testsEndedAt" TIMESTAMP(3),
    "testsEndedBy" TEXT,
    "testDataDeletedAt" TIMESTAMP(3),
    "testDataDeletedBy" TEXT,
    "linkControlReleasedAt" TIMESTAMP(3),
    "linkControlReleasedBy" TEXT,
    "note" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SystemWork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingSession" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "heldOn" TIMESTAMP(3) NOT NULL,
    "participantCount" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT '',
    "lessons" TEXT NOT NULL DEFAULT '',
    "incidentId" INTEGER,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingParticipant" (
    "sessionId" INTEGER NOT NULL,
    "operatorId" TEXT NOT NULL,

    CONSTRAINT "TrainingParticipant_pkey" PRIMARY KEY ("sessionId","operatorId")
);

-- CreateTable
CREATE TABLE "TrainingMaterial" (
    "id" TEXT NOT NULL,
    "sessionId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingMaterial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnualReportText" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "history" TEXT NOT NULL DEFAULT '',
    "securityRules" TEXT NOT NULL DEFAULT '',
    "noAuditReason" TEXT NOT NULL DEFAULT '',
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnnualReportText_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArchivedMonth_state_idx" ON "ArchivedMonth"("state");

-- CreateIndex
CREATE UNIQUE INDEX "ArchivedMonth_stream_month_key" ON "ArchivedMonth"("stream", "month");

-- CreateIndex
CREATE UNIQUE INDEX "LogReviewSchedule_organizationId_key" ON "LogReviewSchedule"("organizationId");

-- CreateIndex
CREATE INDEX "LogReview_status_dueAt_idx" ON "LogReview"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "LogReview_organizationId_periodStart_key" ON "LogReview"("organizationId", "periodStart");

-- CreateIndex
CREATE INDEX "Equipment_organizationId_status_idx" ON "Equipment"("organizationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Equipment_organizationId_assetNo_key" ON "Equipment"("organizationId", "assetNo");

-- CreateIndex
CREATE UNIQUE INDEX "CardRecord_cardId_key" ON "CardRecord"("cardId");

-- CreateIndex
CREATE INDEX "CardRecord_organizationId_idx" ON "CardRecord"("organizationId");

-- CreateIndex
CREATE INDEX "CardLoan_organizationId_idx" ON "CardLoan"("organizationId");

-- CreateIndex
CREATE INDEX "CardLoan_recordId_lentAt_idx" ON "CardLoan"("recordId", "lentAt");

-- CreateIndex
CREATE INDEX "ImprovementPlan_organizationId_status_idx" ON "ImprovementPlan"("organizationId", "status");

-- CreateIndex
CREATE INDEX "ImprovementPlan_assessmentId_idx" ON "ImprovementPlan"("assessmentId");

-- CreateIndex
CREATE INDEX "SystemWork_organizationId_idx" ON "SystemWork"("organizationId");

-- CreateIndex
CREATE INDEX "SystemWork_linkControlSetAt_idx" ON "SystemWork"("linkControlSetAt");

-- CreateIndex
CREATE INDEX "TrainingSession_organizationId_heldOn_idx" ON "TrainingSession"("organizationId", "heldOn");

-- CreateIndex
CREATE INDEX "TrainingParticipant_operatorId_idx" ON "TrainingParticipant"("operatorId");

-- CreateIndex
CREATE UNIQUE INDEX "AnnualReportText_organizationId_fiscalYear_key" ON "AnnualReportText"("organizationId", "fiscalYear");

-- AddForeignKey
ALTER TABLE "CardLoan" ADD CONSTRAINT "CardLoan_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "CardRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingParticipant" ADD CONSTRAINT "TrainingParticipant_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingMaterial" ADD CONSTRAINT "TrainingMaterial_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TrainingSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

