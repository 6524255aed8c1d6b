-- CreateTable
CREATE TABLE "MergeRule" (
    "field" TEXT NOT NULL PRIMARY KEY,
    "strategy" TEXT NOT NULL,
    "trustedSources" TEXT,
    "updatedAt" DATETIME NOT NULL
);

