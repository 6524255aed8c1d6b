-- CreateTable
CREATE TABLE "DedupKey" (
    "key" TEXT NOT NULL,
    "contactId" INTEGER NOT NULL,

    CONSTRAINT "DedupKey_pkey" PRIMARY KEY ("key","contactId")
);

-- CreateIndex
CREATE INDEX "DedupKey_contactId_idx" ON "DedupKey"("contactId");

-- AddForeignKey
ALTER TABLE "DedupKey" ADD CONSTRAINT "DedupKey_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

