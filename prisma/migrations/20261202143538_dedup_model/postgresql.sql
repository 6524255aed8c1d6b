-- CreateTable
CREATE TABLE "DedupModel" (
    "id" SERIAL NOT NULL,
    "parameters" JSONB NOT NULL,
    "contacts" INTEGER NOT NULL,
    "candidatePairs" INTEGER NOT NULL,
    "randomPairs" INTEGER NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "rules" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DedupModel_pkey" PRIMARY KEY ("id")
);

