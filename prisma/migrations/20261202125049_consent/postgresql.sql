-- CreateEnum
CREATE TYPE "ConsentStatus" AS ENUM ('OPTED_IN', 'OPTED_OUT', 'PENDING', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ConsentType" AS ENUM ('EXPLICIT', 'IMPLIED', 'IMPORTED');

-- CreateEnum
CREATE TYPE "LawfulBasis" AS ENUM ('CONSENT', 'LEGITIMATE_INTEREST', 'CONTRACT', 'LEGAL_OBLIGATION');

-- CreateEnum
CREATE TYPE "Jurisdiction" AS ENUM ('EU_GDPR', 'UK_GDPR', 'CASL', 'CAN_SPAM', 'OTHER');

-- CreateEnum
CREATE TYPE "DsrType" AS ENUM ('ACCESS', 'ERASURE', 'RECTIFICATION', 'RESTRICTION');

-- CreateEnum
CREATE TYPE "DsrStatus" AS ENUM ('RECEIVED', 'APPROVED', 'COMPLETED', 'REJECTED');

-- CreateTable
CREATE TABLE "ConsentWording" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentWording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "type" "ConsentType" NOT NULL,
    "basis" "LawfulBasis",
    "jurisdiction" "Jurisdiction" NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "via" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "wordingSha256" TEXT,
    "reference" TEXT,
    "importId" INTEGER,
    "importRow" INTEGER,
    "reason" TEXT,

    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentState" (
    "id" SERIAL NOT NULL,
    "contactId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "status" "ConsentStatus" NOT NULL,
    "type" "ConsentType" NOT NULL,
    "basis" "LawfulBasis",
    "jurisdiction" "Jurisdiction" NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "lastEventId" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsentState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" SERIAL NOT NULL,
    "hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "certificateId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" INTEGER,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErasureCertificate" (
    "id" SERIAL NOT NULL,
    "reference" TEXT NOT NULL,
    "contactId" INTEGER NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erasedById" INTEGER,
    "via" TEXT NOT NULL,
    "removed" JSONB NOT NULL,
    "suppressed" INTEGER NOT NULL DEFAULT 0,
    "requestId" INTEGER,

    CONSTRAINT "ErasureCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSubjectRequest" (
    "id" SERIAL NOT NULL,
    "type" "DsrType" NOT NULL,
    "status" "DsrStatus" NOT NULL DEFAULT 'RECEIVED',
    "contactId" INTEGER,
    "requester" TEXT NOT NULL,
    "verification" TEXT NOT NULL,
    "notes" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "extendedAt" TIMESTAMP(3),
    "extensionReason" TEXT,
    "deadlineFlag" TEXT,
    "approvedAt" TIMESTAMP(3),
    "approvedById" INTEGER,
    "completedAt" TIMESTAMP(3),
    "certificateId" INTEGER,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataSubjectRequest_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentEvent" ADD CONSTRAINT "ConsentEvent_wordingSha256_fkey" FOREIGN KEY ("wordingSha256") REFERENCES "ConsentWording"("sha256") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentState" ADD CONSTRAINT "ConsentState_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Suppression" ADD CONSTRAINT "Suppression_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ErasureCertificate" ADD CONSTRAINT "ErasureCertificate_erasedById_fkey" FOREIGN KEY ("erasedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataSubjectRequest" ADD CONSTRAINT "DataSubjectRequest_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

