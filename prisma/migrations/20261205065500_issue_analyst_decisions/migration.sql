-- AlterTable
ALTER TABLE "Issue" ADD COLUMN     "lockedFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "resolvedAt" TIMESTAMP(3);

-- Issues resolved before this column existed: their last update is when the response went out.
UPDATE "Issue" SET "resolvedAt" = "updatedAt" WHERE "status" = 'resolved';
