-- CreateTable
CREATE TABLE "NodeCertificate" (
    "serial" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "NodeCertificate_pkey" PRIMARY KEY ("serial")
);

-- CreateTable
CREATE TABLE "NodeRejections" (
    "nodeId" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "lastReasons" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeRejections_pkey" PRIMARY KEY ("nodeId")
);

-- CreateIndex
CREATE UNIQUE INDEX "NodeCertificate_fingerprint_key" ON "NodeCertificate"("fingerprint");

-- CreateIndex
CREATE INDEX "NodeCertificate_nodeId_idx" ON "NodeCertificate"("nodeId");

-- AddForeignKey
ALTER TABLE "NodeCertificate" ADD CONSTRAINT "NodeCertificate_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodeRejections" ADD CONSTRAINT "NodeRejections_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "Node"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

