-- CreateTable
CREATE TABLE "ThreatLevelDefinition" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "meaning" TEXT NOT NULL,
    "notify" TEXT NOT NULL,
    "reportWithinMinutes" INTEGER,
    "jlisInvolved" BOOLEAN NOT NULL,
    "disconnectionConsidered" BOOLEAN NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ThreatLevelDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
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
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "reportDueAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "overdueNotifiedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentOrganization" (
    "incidentId" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,

    CONSTRAINT "IncidentOrganization_pkey" PRIMARY KEY ("incidentId","organizationId")
);

-- CreateTable
CREATE TABLE "IncidentAlert" (
    "incidentId" INTEGER NOT NULL,
    "alertId" TEXT NOT NULL,
    "linkedBy" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentAlert_pkey" PRIMARY KEY ("incidentId","alertId")
);

-- CreateTable
CREATE TABLE "IncidentQuery" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "linkedBy" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentQuery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL DEFAULT '',
    "detail" TEXT,

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "hours" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationStep" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "contactId" INTEGER NOT NULL,

    CONSTRAINT "EscalationStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvestigationRequest" (
    "id" SERIAL NOT NULL,
    "organizationId" TEXT NOT NULL,
    "incidentId" INTEGER,
    "alertId" TEXT,
    "question" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredBy" TEXT,
    "answeredAt" TIMESTAMP(3),
    "findings" TEXT,
    "cause" TEXT,
    "legitimate" BOOLEAN,
    "measures" TEXT,
    "remindedAt" TIMESTAMP(3),

    CONSTRAINT "InvestigationRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InvestigationAttachment" (
    "id" TEXT NOT NULL,
    "requestId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "uploadedById" TEXT NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InvestigationAttachment_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "IncidentOrganization" ADD CONSTRAINT "IncidentOrganization_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentAlert" ADD CONSTRAINT "IncidentAlert_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentQuery" ADD CONSTRAINT "IncidentQuery_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentEvent" ADD CONSTRAINT "IncidentEvent_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EscalationStep" ADD CONSTRAINT "EscalationStep_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvestigationRequest" ADD CONSTRAINT "InvestigationRequest_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvestigationAttachment" ADD CONSTRAINT "InvestigationAttachment_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InvestigationRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

