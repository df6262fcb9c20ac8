-- CreateTable
CREATE TABLE "Equipment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "assetNo" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT,
    "nodeId" TEXT,
    "terminalId" TEXT,
    "installedOn" DATETIME,
    "maintenanceEnd" DATETIME,
    "plannedRenewal" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'in_service',
    "disposedOn" DATETIME,
    "wipeMethod" TEXT,
    "wipedBy" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CardRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "cardId" TEXT NOT NULL,
    "issuedOn" DATETIME,
    "expiresOn" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'active',
    "lostAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedBy" TEXT,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CardLoan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "recordId" INTEGER NOT NULL,
    "organizationId" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "lentAt" DATETIME NOT NULL,
    "lentBy" TEXT NOT NULL,
    "dueOn" DATETIME,
    "returnedAt" DATETIME,
    "receivedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CardLoan_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "CardRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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

