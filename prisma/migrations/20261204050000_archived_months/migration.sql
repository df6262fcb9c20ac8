-- CreateTable
CREATE TABLE "ArchivedMonth" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "stream" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "sourceIndex" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "snapshot" TEXT NOT NULL,
    "docCount" REAL,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "snapshotAt" DATETIME,
    "verifiedAt" DATETIME,
    "deletedAt" DATETIME,
    "restoredAt" DATETIME,
    "restoredBy" TEXT,
    "restoreReason" TEXT,
    "expiredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ArchivedMonth_state_idx" ON "ArchivedMonth"("state");

-- CreateIndex
CREATE UNIQUE INDEX "ArchivedMonth_stream_month_key" ON "ArchivedMonth"("stream", "month");

