-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "Gadget";
PRAGMA foreign_keys=on;

