-- CreateTable
CREATE TABLE "ContactImportFile" (
    "importId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "content" TEXT NOT NULL,
    CONSTRAINT "ContactImportFile_importId_fkey" FOREIGN KEY ("importId") REFERENCES "ContactImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Move each import's file out of its row
INSERT INTO "ContactImportFile" ("importId", "content") SELECT "id", "content" FROM "ContactImport";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ContactImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fileName" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "mapping" JSONB NOT NULL,
    "defaults" JSONB,
    "onDuplicate" TEXT NOT NULL DEFAULT 'FLAG',
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UPLOADED',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "flagged" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "dryRunReport" JSONB,
    "runnerId" TEXT,
    "heartbeatAt" DATETIME,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "revertedAt" DATETIME,
    CONSTRAINT "ContactImport_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ContactImport" ("created", "createdAt", "createdById", "defaults", "dryRun", "dryRunReport", "encoding", "error", "failed", "fileName", "finishedAt", "flagged", "headers", "heartbeatAt", "id", "mapping", "onDuplicate", "processed", "revertedAt", "runnerId", "skipped", "status", "totalRows", "updated") SELECT "created", "createdAt", "createdById", "defaults", "dryRun", "dryRunReport", "encoding", "error", "failed", "fileName", "finishedAt", "flagged", "headers", "heartbeatAt", "id", "mapping", "onDuplicate", "processed", "revertedAt", "runnerId", "skipped", "status", "totalRows", "updated" FROM "ContactImport";
DROP TABLE "ContactImport";
ALTER TABLE "new_ContactImport" RENAME TO "ContactImport";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

