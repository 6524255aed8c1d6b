-- CreateTable
CREATE TABLE "ConsentWording" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sha256" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "basis" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "via" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "wordingSha256" TEXT,
    "reference" TEXT,
    "importId" INTEGER,
    "importRow" INTEGER,
    "reason" TEXT,
    CONSTRAINT "ConsentEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsentEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ConsentEvent_wordingSha256_fkey" FOREIGN KEY ("wordingSha256") REFERENCES "ConsentWording" ("sha256") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsentState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "basis" TEXT,
    "jurisdiction" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    "lastEventId" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConsentState_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "certificateId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,
    CONSTRAINT "Suppression_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ErasureCertificate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "contactId" INTEGER NOT NULL,
    "erasedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erasedById" INTEGER,
    "via" TEXT NOT NULL,
    "removed" JSONB NOT NULL,
    "suppressed" INTEGER NOT NULL DEFAULT 0,
    "requestId" INTEGER,
    CONSTRAINT "ErasureCertificate_erasedById_fkey" FOREIGN KEY ("erasedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DataSubjectRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "contactId" INTEGER,
    "requester" TEXT NOT NULL,
    "verification" TEXT NOT NULL,
    "notes" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" DATETIME NOT NULL,
    "extendedAt" DATETIME,
    "extensionReason" TEXT,
    "deadlineFlag" TEXT,
    "approvedAt" DATETIME,
    "approvedById" INTEGER,
    "completedAt" DATETIME,
    "certificateId" INTEGER,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DataSubjectRequest_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsentWording_sha256_key" ON "ConsentWording"("sha256");

-- CreateIndex
CREATE INDEX "ConsentEvent_contactId_channel_purpose_id_idx" ON "ConsentEvent"("contactId", "channel", "purpose", "id");

-- CreateIndex
CREATE INDEX "ConsentState_channel_purpose_status_idx" ON "ConsentState"("channel", "purpose", "status");

-- CreateIndex
CREATE INDEX "ConsentState_expiresAt_idx" ON "ConsentState"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentState_contactId_channel_purpose_key" ON "ConsentState"("contactId", "channel", "purpose");

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_hash_key" ON "Suppression"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "ErasureCertificate_reference_key" ON "ErasureCertificate"("reference");

-- CreateIndex
CREATE INDEX "DataSubjectRequest_status_dueAt_idx" ON "DataSubjectRequest"("status", "dueAt");

