-- CreateTable
CREATE TABLE "AuditEngagement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "firm" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "accessFrom" DATETIME NOT NULL,
    "accessTo" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "EngagementOrganization" (
    "engagementId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,

    PRIMARY KEY ("engagementId", "organizationId"),
    CONSTRAINT "EngagementOrganization_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "AuditEngagement" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EngagementAuditor" (
    "engagementId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("engagementId", "userId"),
    CONSTRAINT "EngagementAuditor_engagementId_fkey" FOREIGN KEY ("engagementId") REFERENCES "AuditEngagement" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

