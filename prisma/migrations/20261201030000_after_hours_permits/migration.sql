-- After-hours permits (時間外使用の承認, INTERFACE.md §5 after_hours_permits); new table, no existing rows change.
-- CreateTable
CREATE TABLE "AfterHoursPermit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "operators" TEXT NOT NULL DEFAULT '[]',
    "start" DATETIME NOT NULL,
    "end" DATETIME NOT NULL,
    "reason" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AfterHoursPermit_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AfterHoursPermit_start_end_idx" ON "AfterHoursPermit"("start", "end");

-- CreateIndex
CREATE UNIQUE INDEX "AfterHoursPermit_organizationId_start_end_operators_key" ON "AfterHoursPermit"("organizationId", "start", "end", "operators");

