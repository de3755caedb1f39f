-- AlterTable
ALTER TABLE "Issue" ADD COLUMN     "clusterKey" TEXT;

-- CreateTable
CREATE TABLE "EngineState" (
    "key" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Issue_clusterKey_key" ON "Issue"("clusterKey");
