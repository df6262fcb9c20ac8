-- CreateTable
CREATE TABLE "ThreatLevelDefinition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "meaning" TEXT NOT NULL,
    "notify" TEXT NOT NULL,
    "reportWithinMinutes" INTEGER,
    "jlisInvolved" BOOLEAN NOT NULL,
    "disconnectionConsidered" BOOLEAN NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "levelVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "exercise" BOOLEAN NOT NULL DEFAULT false,
    "organizationId" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "measures" TEXT NOT NULL DEFAULT '',
    "disconnected" BOOLEAN NOT NULL DEFAULT false,
    "openedBy" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" DATETIME,
    "reportDueAt" DATETIME,
    "reportedAt" DATETIME,
    "overdueNotifiedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IncidentOrganization" (
    "incidentId" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,

    PRIMARY KEY ("incidentId", "organizationId"),
    CONSTRAINT "IncidentOrganization_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IncidentAlert" (
    "incidentId" INTEGER NOT NULL,
    "alertId" TEXT NOT NULL,
    "linkedBy" TEXT NOT NULL,
    "linkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("incidentId", "alertId"),
    CONSTRAINT "IncidentAlert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IncidentQuery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "linkedBy" TEXT NOT NULL,
    "linkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IncidentQuery_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "detail" TEXT,
    CONSTRAINT "IncidentEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "hours" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EscalationStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,
    CONSTRAINT "EscalationStep_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InvestigationRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "incidentId" INTEGER,
    "alertId" TEXT,
    "question" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredBy" TEXT,
    "answeredAt" DATETIME,
    "findings" TEXT,
    "cause" TEXT,
    "legitimate" BOOLEAN,
    "measures" TEXT,
    "remindedAt" DATETIME,
    CONSTRAINT "InvestigationRequest_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InvestigationAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "uploadedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InvestigationAttachment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InvestigationRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ThreatLevelDefinition_organizationId_version_level_key" ON "ThreatLevelDefinition"("organizationId", "version", "level");

-- CreateIndex
CREATE INDEX "Incident_status_idx" ON "Incident"("status");

-- CreateIndex
CREATE INDEX "Incident_reportDueAt_idx" ON "Incident"("reportDueAt");

-- CreateIndex
CREATE INDEX "IncidentOrganization_organizationId_idx" ON "IncidentOrganization"("organizationId");

-- CreateIndex
CREATE INDEX "IncidentAlert_alertId_idx" ON "IncidentAlert"("alertId");

-- CreateIndex
CREATE INDEX "IncidentEvent_incidentId_at_idx" ON "IncidentEvent"("incidentId", "at");

-- CreateIndex
CREATE INDEX "Contact_organizationId_idx" ON "Contact"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationStep_organizationId_level_position_key" ON "EscalationStep"("organizationId", "level", "position");

-- CreateIndex
CREATE INDEX "InvestigationRequest_organizationId_answeredAt_idx" ON "InvestigationRequest"("organizationId", "answeredAt");

-- CreateIndex
CREATE INDEX "InvestigationRequest_alertId_idx" ON "InvestigationRequest"("alertId");

