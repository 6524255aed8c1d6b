-- CreateTable
CREATE TABLE "ContactImportFile" (
    "importId" INTEGER NOT NULL,
    "content" TEXT NOT NULL,

    CONSTRAINT "ContactImportFile_pkey" PRIMARY KEY ("importId")
);

-- AddForeignKey
ALTER TABLE "ContactImportFile" ADD CONSTRAINT "ContactImportFile_importId_fkey" FOREIGN KEY ("importId") REFERENCES "ContactImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move each import's file out of its row
INSERT INTO "ContactImportFile" ("importId", "content") SELECT "id", "content" FROM "ContactImport";

-- AlterTable
ALTER TABLE "ContactImport" DROP COLUMN "content";
