-- AlterTable
ALTER TABLE "AuditReport" ADD COLUMN "reviewRequestedById" TEXT;
ALTER TABLE "AuditReport" ADD COLUMN "reviewRequestedAt" DATETIME;

-- CreateTable
CREATE TABLE "AuditSavedSearch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "engagementId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "AuditSavedSearch_engagementId_organizationId_idx" ON "AuditSavedSearch"("engagementId", "organizationId");
