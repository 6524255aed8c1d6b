-- DropForeignKey
ALTER TABLE "Gadget" DROP CONSTRAINT "Gadget_ownerId_fkey";

-- DropTable
DROP TABLE "Gadget";

-- DropEnum
DROP TYPE "GadgetStatus";

