-- CreateEnum
CREATE TYPE "ScoringSignal" AS ENUM ('EMAIL_OPENED', 'EMAIL_CLICKED', 'EMAIL_REPLIED', 'MEETING_HELD', 'CALL_LOGGED', 'FORM_SUBMITTED', 'PAGE_VISITED', 'FILE_DOWNLOADED', 'DEAL_CREATED', 'DEAL_WON', 'PROFILE_COMPLETENESS', 'BUYING_ROLE', 'SENIORITY', 'LINKED_COMPANY', 'UNSUBSCRIBED', 'BOUNCED', 'NO_ACTIVITY');

-- CreateEnum
CREATE TYPE "ScoreGrade" AS ENUM ('A', 'B', 'C', 'D', 'F');

-- CreateTable
CREATE TABLE "ScoringRule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "signal" "ScoringSignal" NOT NULL,
    "points" DOUBLE PRECISION NOT NULL,
    "cap" DOUBLE PRECISION,
    "halfLifeDays" DOUBLE PRECISION,
    "keywords" TEXT,
    "days" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoringRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoringSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "fitMax" INTEGER NOT NULL DEFAULT 40,
    "gradeA" INTEGER NOT NULL DEFAULT 80,
    "gradeB" INTEGER NOT NULL DEFAULT 60,
    "gradeC" INTEGER NOT NULL DEFAULT 40,
    "gradeD" INTEGER NOT NULL DEFAULT 20,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoringSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactScore" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "fit" INTEGER NOT NULL,
    "engagement" INTEGER NOT NULL,
    "grade" "ScoreGrade" NOT NULL,
    "breakdown" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreHistory" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "grade" "ScoreGrade" NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScoreHistory_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ContactScore_contactId_key" ON "ContactScore"("contactId");

-- CreateIndex
CREATE INDEX "ContactScore_score_idx" ON "ContactScore"("score");

-- CreateIndex
CREATE INDEX "ContactScore_grade_score_idx" ON "ContactScore"("grade", "score");

-- CreateIndex
CREATE INDEX "ScoreHistory_contactId_recordedAt_idx" ON "ScoreHistory"("contactId", "recordedAt");

-- AddForeignKey
ALTER TABLE "ContactScore" ADD CONSTRAINT "ContactScore_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreHistory" ADD CONSTRAINT "ScoreHistory_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

