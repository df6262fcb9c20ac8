-- Node client certificates (node CA) and per-node rejection counters of the ingest gateway (issue 14).
-- CreateTable
CREATE TABLE "NodeCertificate" (
    "serial" TEXT NOT NULL PRIMARY KEY,
    "nodeId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "notAfter" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "NodeCertificate_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NodeRejections" (
    "nodeId" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "lastReasons" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NodeRejections_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "NodeCertificate_fingerprint_key" ON "NodeCertificate"("fingerprint");

-- CreateIndex
CREATE INDEX "NodeCertificate_nodeId_idx" ON "NodeCertificate"("nodeId");

