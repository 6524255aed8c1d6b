-- CreateTable
CREATE TABLE "DuplicateCandidate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactAId" INTEGER NOT NULL,
    "contactBId" INTEGER NOT NULL,
    "score" REAL NOT NULL,
    "reasons" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "fingerprint" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MergeLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "primaryId" INTEGER NOT NULL,
    "duplicateId" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "primaryBefore" JSONB NOT NULL,
    "moved" JSONB NOT NULL,
    "choices" JSONB NOT NULL,
    "mergedById" INTEGER,
    "mergedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DuplicateCandidate_status_score_idx" ON "DuplicateCandidate"("status", "score");

-- CreateIndex
CREATE INDEX "DuplicateCandidate_contactBId_idx" ON "DuplicateCandidate"("contactBId");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateCandidate_contactAId_contactBId_key" ON "DuplicateCandidate"("contactAId", "contactBId");

-- CreateIndex
CREATE INDEX "MergeLog_primaryId_idx" ON "MergeLog"("primaryId");

-- CreateIndex
CREATE INDEX "MergeLog_duplicateId_idx" ON "MergeLog"("duplicateId");

