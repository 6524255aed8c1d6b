-- DropIndex
DROP INDEX "Contact_lastActivityAt_lifecycleStage_status_idx";

-- DropIndex
DROP INDEX "Contact_lifecycleStage_status_idx";

-- CreateIndex
CREATE INDEX "Contact_lifecycleStage_status_lastActivityAt_idx" ON "Contact"("lifecycleStage", "status", "lastActivityAt");

