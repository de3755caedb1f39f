-- Platform hot lists (热榜): the `hotlist` source kind, each entry's rank per poll (HotListObservation), and the
-- hot-list fields of the entries that became mentions.
-- AlterEnum
ALTER TYPE "SourceKind" ADD VALUE IF NOT EXISTS 'hotlist';

-- AlterTable
ALTER TABLE "Mention" ADD COLUMN     "hotListHeat" INTEGER,
ADD COLUMN     "hotListKey" TEXT,
ADD COLUMN     "hotListPlatform" TEXT,
ADD COLUMN     "hotListRank" INTEGER;

-- CreateTable
CREATE TABLE "HotListObservation" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "entryKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "heat" INTEGER,
    "observedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HotListObservation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HotListObservation_sourceId_observedAt_idx" ON "HotListObservation"("sourceId", "observedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HotListObservation_sourceId_entryKey_observedAt_key" ON "HotListObservation"("sourceId", "entryKey", "observedAt");

-- AddForeignKey
ALTER TABLE "HotListObservation" ADD CONSTRAINT "HotListObservation_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;
