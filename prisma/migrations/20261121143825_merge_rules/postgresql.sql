-- CreateEnum
CREATE TYPE "MergeStrategy" AS ENUM ('PRIMARY_WINS', 'MOST_RECENT', 'UNION', 'LIFECYCLE_FORWARD', 'MOST_TRUSTED_SOURCE');

-- CreateTable
CREATE TABLE "MergeRule" (
    "field" TEXT NOT NULL,
    "strategy" "MergeStrategy" NOT NULL,
    "trustedSources" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MergeRule_pkey" PRIMARY KEY ("field")
);

