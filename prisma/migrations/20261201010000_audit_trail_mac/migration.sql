-- Audit trail: keyed MACs (macVersion 1, keyId), the actor's organisation, and the page's incremental verification state.
-- CreateTable
CREATE TABLE "AuditTrailVerification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL,
    "mac" TEXT NOT NULL,
    "brokenAt" INTEGER,
    "reason" TEXT,
    "checkedAt" DATETIME NOT NULL,
    "keyId" TEXT NOT NULL,
    "stateMac" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConsoleAuditEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT,
    "actorLogin" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "organizationId" TEXT,
    "scope" TEXT,
    "details" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "macVersion" INTEGER NOT NULL DEFAULT 0,
    "keyId" TEXT,
    "actorOrganizationId" TEXT
);
INSERT INTO "new_ConsoleAuditEvent" ("action", "actorId", "actorLogin", "at", "details", "hash", "organizationId", "prevHash", "scope", "seq", "target") SELECT "action", "actorId", "actorLogin", "at", "details", "hash", "organizationId", "prevHash", "scope", "seq", "target" FROM "ConsoleAuditEvent";
DROP TABLE "ConsoleAuditEvent";
ALTER TABLE "new_ConsoleAuditEvent" RENAME TO "ConsoleAuditEvent";
CREATE UNIQUE INDEX "ConsoleAuditEvent_hash_key" ON "ConsoleAuditEvent"("hash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Existing records keep their plain SHA-256 chain (macVersion 0) and still verify.
-- Their actor's organisation is filled in from the user or API token (not covered by the legacy hash, which is unchanged).
UPDATE "ConsoleAuditEvent" SET "actorOrganizationId" = (SELECT "organizationId" FROM "User" WHERE "User"."id" = "ConsoleAuditEvent"."actorId") WHERE "actorId" IS NOT NULL;
UPDATE "ConsoleAuditEvent" SET "actorOrganizationId" = (SELECT "organizationId" FROM "ApiToken" WHERE "ApiToken"."id" = "ConsoleAuditEvent"."actorId") WHERE "actorId" IS NOT NULL AND "actorOrganizationId" IS NULL;
