-- CreateTable
CREATE TABLE "AiSummary" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "inputHash" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "sentences" JSONB NOT NULL,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "generatedAt" DATETIME NOT NULL,
    CONSTRAINT "AiSummary_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AiCall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL,
    "costMicros" INTEGER NOT NULL DEFAULT 0,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ContactEmbedding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "model" TEXT NOT NULL,
    "vector" BLOB NOT NULL,
    "traits" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContactEmbedding_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AiProposal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "changes" JSONB NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "appliedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AiProposal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AiSummary_contactId_key" ON "AiSummary"("contactId");

-- CreateIndex
CREATE INDEX "AiSummary_generatedAt_idx" ON "AiSummary"("generatedAt");

-- CreateIndex
CREATE INDEX "AiCall_createdAt_idx" ON "AiCall"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContactEmbedding_contactId_key" ON "ContactEmbedding"("contactId");

-- CreateIndex
CREATE INDEX "ContactEmbedding_model_idx" ON "ContactEmbedding"("model");

-- CreateIndex
CREATE UNIQUE INDEX "AiProposal_tokenHash_key" ON "AiProposal"("tokenHash");

