-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "importId" INTEGER,
ADD COLUMN     "importRowNumber" INTEGER;

