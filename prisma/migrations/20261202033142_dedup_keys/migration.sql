-- CreateTable
CREATE TABLE "DedupKey" (
    "key" TEXT NOT NULL,
    "contactId" INTEGER NOT NULL,

    PRIMARY KEY ("key", "contactId"),
    CONSTRAINT "DedupKey_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "DedupKey_contactId_idx" ON "DedupKey"("contactId");

