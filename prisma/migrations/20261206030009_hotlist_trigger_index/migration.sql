-- The hot-list alert trigger (hotlist.entry) finds the mentions of the entries seen in its window by source and
-- entry key, every minute.
-- CreateIndex
CREATE INDEX "Mention_sourceId_hotListKey_idx" ON "Mention"("sourceId", "hotListKey");
