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

-- CreateIndex
CREATE INDEX "DuplicateCandidate_status_score_idx" ON "DuplicateCandidate"("status", "score");

-- CreateIndex
CREATE INDEX "DuplicateCandidate_contactBId_idx" ON "DuplicateCandidate"("contactBId");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateCandidate_contactAId_contactBId_key" ON "DuplicateCandidate"("contactAId", "contactBId");

