-- DropIndex
DROP INDEX "Contact_sortName_searchText_idx";

-- DropIndex
DROP INDEX "Contact_status_idx";

-- DropIndex
DROP INDEX "Contact_lifecycleStage_status_sortName_idx";

-- DropIndex
DROP INDEX "Contact_lifecycleStage_status_lastActivityAt_idx";

-- DropIndex
DROP INDEX "Contact_lastActivityAt_idx";

-- CreateIndex
CREATE INDEX "Contact_sortName_searchText_lifecycleStage_status_idx" ON "Contact"("sortName", "searchText", "lifecycleStage", "status");

-- CreateIndex
CREATE INDEX "Contact_lastActivityAt_lifecycleStage_status_idx" ON "Contact"("lastActivityAt", "lifecycleStage", "status");

-- CreateIndex
CREATE INDEX "Contact_lifecycleStage_status_idx" ON "Contact"("lifecycleStage", "status");

