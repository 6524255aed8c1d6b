-- CreateTable
CREATE TABLE "DedupModel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "parameters" JSONB NOT NULL,
    "contacts" INTEGER NOT NULL,
    "candidatePairs" INTEGER NOT NULL,
    "randomPairs" INTEGER NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "rules" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

