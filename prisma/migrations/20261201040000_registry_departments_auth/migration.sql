-- INTERFACE.md §5: departments, operator purposes, required_auth_method on organisations and operators.
-- Existing rows get NULL: no method required, operators may use everything their organisation may use.
-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "requiredAuthMethod" TEXT;

-- AlterTable
ALTER TABLE "Operator" ADD COLUMN "purposes" TEXT;
ALTER TABLE "Operator" ADD COLUMN "requiredAuthMethod" TEXT;

-- CreateTable
CREATE TABLE "Department" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purposes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Department_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Department_organizationId_name_key" ON "Department"("organizationId", "name");

