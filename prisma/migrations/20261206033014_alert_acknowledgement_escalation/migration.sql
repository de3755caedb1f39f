-- Alert acknowledgement (已知悉: when, by whom, how) and escalation (rules per channel; which delivery was passed on).
-- AlterTable
ALTER TABLE "AlertDelivery" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedById" INTEGER,
ADD COLUMN     "acknowledgedVia" TEXT,
ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "escalatedFromId" INTEGER;

-- CreateTable
CREATE TABLE "AlertEscalationRule" (
    "id" SERIAL NOT NULL,
    "channelId" INTEGER NOT NULL,
    "level" "IssueLevel",
    "afterMinutes" INTEGER,
    "toChannelId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertEscalationRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AlertEscalationRule_channelId_idx" ON "AlertEscalationRule"("channelId");

-- CreateIndex
CREATE INDEX "AlertDelivery_channelId_level_sentAt_idx" ON "AlertDelivery"("channelId", "level", "sentAt");

-- AddForeignKey
ALTER TABLE "AlertEscalationRule" ADD CONSTRAINT "AlertEscalationRule_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "AlertChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertEscalationRule" ADD CONSTRAINT "AlertEscalationRule_toChannelId_fkey" FOREIGN KEY ("toChannelId") REFERENCES "AlertChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertDelivery" ADD CONSTRAINT "AlertDelivery_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
