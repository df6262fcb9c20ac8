-- CreateTable
CREATE TABLE "ChecklistRound" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "organizationId" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "templateVersion" TEXT NOT NULL,
    "deadline" DATETIME NOT NULL,
    "previousRoundId" TEXT,
    "openedById" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roundId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "submittedAt" DATETIME,
    "returnedAt" DATETIME,
    "acceptedAt" DATETIME,
    "acceptedById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Assessment_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "ChecklistRound" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AssessmentAnswer" (
    "assessmentId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "answer" TEXT,
    "comment" TEXT,
    "reviewComment" TEXT,
    "previousAnswer" TEXT,
    "previousComment" TEXT,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("assessmentId", "itemId"),
    CONSTRAINT "AssessmentAnswer_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AssessmentEvidence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assessmentId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "uploadedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" DATETIME,
    "removedById" TEXT,
    CONSTRAINT "AssessmentEvidence_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AssessmentHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "assessmentId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT NOT NULL,
    "actorLogin" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "itemId" TEXT,
    "before" TEXT,
    "after" TEXT,
    CONSTRAINT "AssessmentHistory_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "Assessment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistRound_organizationId_fiscalYear_key" ON "ChecklistRound"("organizationId", "fiscalYear");

-- CreateIndex
CREATE INDEX "Assessment_organizationId_idx" ON "Assessment"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_roundId_organizationId_key" ON "Assessment"("roundId", "organizationId");

-- CreateIndex
CREATE INDEX "AssessmentEvidence_assessmentId_itemId_idx" ON "AssessmentEvidence"("assessmentId", "itemId");

-- CreateIndex
CREATE INDEX "AssessmentHistory_assessmentId_at_idx" ON "AssessmentHistory"("assessmentId", "at");

