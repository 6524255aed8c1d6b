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

-- CreateIndex
CREATE INDEX "DuplicateCandidate_status_score_idx" ON "DuplicateCandidate"("status", "score");

-- CreateIndex
CREATE INDEX "DuplicateCandidate_contactBId_idx" ON "DuplicateCandidate"("contactBId");

-- CreateIndex
CREATE UNIQUE INDEX "DuplicateCandidate_contactAId_contactBId_key" ON "DuplicateCandidate"("contactAId", "contactBId");

