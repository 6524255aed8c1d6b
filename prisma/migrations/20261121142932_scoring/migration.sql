-- CreateTable
CREATE TABLE "ScoringRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "signal" TEXT NOT NULL,
    "points" REAL NOT NULL,
    "cap" REAL,
    "halfLifeDays" REAL,
    "keywords" TEXT,
    "days" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ScoringSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT DEFAULT 1,
    "fitMax" INTEGER NOT NULL DEFAULT 40,
    "gradeA" INTEGER NOT NULL DEFAULT 80,
    "gradeB" INTEGER NOT NULL DEFAULT 60,
    "gradeC" INTEGER NOT NULL DEFAULT 40,
    "gradeD" INTEGER NOT NULL DEFAULT 20,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ContactScore" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "fit" INTEGER NOT NULL,
    "engagement" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "breakdown" JSONB NOT NULL,
    "computedAt" DATETIME NOT NULL,
    CONSTRAINT "ContactScore_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScoreHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "ScoreHistory_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ContactScore_contactId_key" ON "ContactScore"("contactId");

-- CreateIndex
CREATE INDEX "ContactScore_score_idx" ON "ContactScore"("score");

-- CreateIndex
CREATE INDEX "ContactScore_grade_score_idx" ON "ContactScore"("grade", "score");

-- CreateIndex
CREATE INDEX "ScoreHistory_contactId_recordedAt_idx" ON "ScoreHistory"("contactId", "recordedAt");

