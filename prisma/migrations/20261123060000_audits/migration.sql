-- AlterTable
ALTER TABLE "EngagementOrganization" ADD COLUMN "fieldworkOn" DATETIME;
ALTER TABLE "EngagementOrganization" ADD COLUMN "noticeIssuedAt" DATETIME;

-- CreateTable
CREATE TABLE "AuditFinding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "engagementId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "criterion" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "effect" TEXT NOT NULL,
    "recommendation" TEXT NOT NULL,
    "grade" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'open',
    "response" TEXT,
    "remediationPlan" TEXT,
    "remediationDue" DATETIME,
    "respondedAt" DATETIME,
    "respondedById" TEXT,
    "closedAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AuditFinding_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "AuditEngagement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditFindingAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "findingId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "uploadedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditFindingAttachment_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "AuditFinding" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditFindingHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "findingId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT NOT NULL,
    "actorLogin" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "before" TEXT,
    "after" TEXT,
    CONSTRAINT "AuditFindingHistory_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "AuditFinding" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "engagementId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "opinion" TEXT,
    "conclusion" TEXT,
    "scopeAndMethod" TEXT,
    "pdfSha256" TEXT,
    "finalizedAt" DATETIME,
    "finalizedById" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AuditReport_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "AuditEngagement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditEngagement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "firm" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "accessFrom" DATETIME NOT NULL,
    "accessTo" DATETIME NOT NULL,
    "auditFrom" DATETIME,
    "auditTo" DATETIME,
    "prefectureId" TEXT,
    "phase" TEXT NOT NULL DEFAULT 'preparation',
    "scope" TEXT,
    "criteriaItems" TEXT,
    "legalCriteria" TEXT,
    "evidenceSources" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_AuditEngagement" ("accessFrom", "accessTo", "createdAt", "firm", "fiscalYear", "id") SELECT "accessFrom", "accessTo", "createdAt", "firm", "fiscalYear", "id" FROM "AuditEngagement";
DROP TABLE "AuditEngagement";
ALTER TABLE "new_AuditEngagement" RENAME TO "AuditEngagement";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "AuditFinding_engagementId_organizationId_number_key" ON "AuditFinding"("engagementId", "organizationId", "number");

-- CreateIndex
CREATE INDEX "AuditFindingHistory_findingId_at_idx" ON "AuditFindingHistory"("findingId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AuditReport_engagementId_organizationId_version_key" ON "AuditReport"("engagementId", "organizationId", "version");

