-- Suppressions and standing exceptions gain the organisation that owns them
-- (issue 10: an admin manages only its own subtree, and the engine applies a
-- suppression or exception only to alerts of its organisation's subtree).
--
-- Existing rows get the organisation of their entity where the registry
-- resolves it: operator, terminal, node, card (via its operator), host (a
-- terminal id, else a terminal's registered address) and organization (the
-- entity itself). Entities the registry does not hold (recipient, subject,
-- an unregistered host) get the top organisation of the deployment (the
-- organisation without a parent, the lowest code if there are several), so
-- they keep applying deployment-wide and only its admins can remove them.
-- With no organisation registered at all the column is '' (only the system
-- scope, i.e. the CLI, sees such a row).
--
-- RuleException's unique key now includes the organisation: two
-- municipalities may each keep an exception for the same recipient without
-- one overwriting the other's.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Suppression" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ruleId" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "until" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Suppression" ("createdAt", "createdBy", "entityId", "entityType", "id", "organizationId", "reason", "ruleId", "until")
SELECT t."createdAt", t."createdBy", t."entityId", t."entityType", t."id", COALESCE(
        CASE t."entityType"
            WHEN 'operator' THEN (SELECT o."organizationId" FROM "Operator" o WHERE o."id" = t."entityId")
            WHEN 'terminal' THEN (SELECT m."organizationId" FROM "Terminal" m WHERE m."id" = t."entityId")
            WHEN 'host' THEN COALESCE(
                (SELECT m."organizationId" FROM "Terminal" m WHERE m."id" = t."entityId"),
                (SELECT m."organizationId" FROM "Terminal" m WHERE m."ip" = t."entityId" ORDER BY m."id" LIMIT 1))
            WHEN 'node' THEN (SELECT n."organizationId" FROM "Node" n WHERE n."id" = t."entityId")
            WHEN 'card' THEN (SELECT o."organizationId" FROM "IcCard" c JOIN "Operator" o ON o."id" = c."operatorId" WHERE c."id" = t."entityId")
            WHEN 'organization' THEN (SELECT g."id" FROM "Organization" g WHERE g."id" = t."entityId")
        END,
        (SELECT g."id" FROM "Organization" g WHERE g."parentId" IS NULL ORDER BY g."id" LIMIT 1),
        ''
    ), t."reason", t."ruleId", t."until" FROM "Suppression" t;
DROP TABLE "Suppression";
ALTER TABLE "new_Suppression" RENAME TO "Suppression";
CREATE INDEX "Suppression_organizationId_idx" ON "Suppression"("organizationId");
CREATE TABLE "new_RuleException" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ruleId" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_RuleException" ("createdAt", "createdBy", "entityId", "entityType", "id", "organizationId", "reason", "ruleId")
SELECT t."createdAt", t."createdBy", t."entityId", t."entityType", t."id", COALESCE(
        CASE t."entityType"
            WHEN 'operator' THEN (SELECT o."organizationId" FROM "Operator" o WHERE o."id" = t."entityId")
            WHEN 'terminal' THEN (SELECT m."organizationId" FROM "Terminal" m WHERE m."id" = t."entityId")
            WHEN 'host' THEN COALESCE(
                (SELECT m."organizationId" FROM "Terminal" m WHERE m."id" = t."entityId"),
                (SELECT m."organizationId" FROM "Terminal" m WHERE m."ip" = t."entityId" ORDER BY m."id" LIMIT 1))
            WHEN 'node' THEN (SELECT n."organizationId" FROM "Node" n WHERE n."id" = t."entityId")
            WHEN 'card' THEN (SELECT o."organizationId" FROM "IcCard" c JOIN "Operator" o ON o."id" = c."operatorId" WHERE c."id" = t."entityId")
            WHEN 'organization' THEN (SELECT g."id" FROM "Organization" g WHERE g."id" = t."entityId")
        END,
        (SELECT g."id" FROM "Organization" g WHERE g."parentId" IS NULL ORDER BY g."id" LIMIT 1),
        ''
    ), t."reason", t."ruleId" FROM "RuleException" t;
DROP TABLE "RuleException";
ALTER TABLE "new_RuleException" RENAME TO "RuleException";
CREATE INDEX "RuleException_organizationId_idx" ON "RuleException"("organizationId");
CREATE UNIQUE INDEX "RuleException_ruleId_entityType_entityId_organizationId_key" ON "RuleException"("ruleId", "entityType", "entityId", "organizationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
