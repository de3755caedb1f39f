-- CreateTable
CREATE TABLE "ReplyRecord" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "title" TEXT,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "department" TEXT,
    "repliedAt" TIMESTAMP(3),
    "responseId" INTEGER,
    "contentHash" TEXT NOT NULL,
    "questionTokens" TEXT,
    "answerTokens" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReplyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReplyRecord_responseId_key" ON "ReplyRecord"("responseId");

-- CreateIndex
CREATE UNIQUE INDEX "ReplyRecord_contentHash_key" ON "ReplyRecord"("contentHash");

-- CreateIndex
CREATE INDEX "ReplyRecord_repliedAt_idx" ON "ReplyRecord"("repliedAt");
