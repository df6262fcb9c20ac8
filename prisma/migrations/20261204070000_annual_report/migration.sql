-- CreateTable
CREATE TABLE "AnnualReportText" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "history" TEXT NOT NULL DEFAULT '',
    "securityRules" TEXT NOT NULL DEFAULT '',
    "noAuditReason" TEXT NOT NULL DEFAULT '',
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AnnualReportText_organizationId_fiscalYear_key" ON "AnnualReportText"("organizationId", "fiscalYear");

