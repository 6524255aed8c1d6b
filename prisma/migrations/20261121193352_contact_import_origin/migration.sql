-- AlterTable
ALTER TABLE "Contact" ADD COLUMN "importId" INTEGER;
ALTER TABLE "Contact" ADD COLUMN "importRowNumber" INTEGER;

