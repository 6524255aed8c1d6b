-- CreateEnum
CREATE TYPE "CandidateStatus" AS ENUM ('OPEN', 'DISMISSED', 'MERGED');

-- CreateTable
CREATE TABLE "DuplicateCandidate" (
    "id" SERIAL NOT NULL,
    "contactAId" INTEGER NOT NULL,
    "contactBId" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "status" "CandidateStatus" NOT NULL DEFAULT 'OPEN',
    "fingerprint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DuplicateCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MergeLog" (
    "id" SERIAL NOT NULL,
    "primaryId" INTEGER NOT NULL,
    "duplicateId" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "primaryBefore" JSONB NOT NULL,
    "moved" JSONB NOT NULL,
    "choices" JSONB NOT NULL,
    "mergedById" INTEGER,
    "mergedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoneAt" TIMESTAMP(3),

    CONSTRAINT "MergeLog_pkey" PRIMARY KEY ("id")
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

