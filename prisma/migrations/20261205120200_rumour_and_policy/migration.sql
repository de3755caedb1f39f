-- 辟谣: rumour marks on issues, the kind of a response; pre-release policy risk assessments. Additive only.
ALTER TABLE "Issue" ADD COLUMN "rumourMarkedAt" TIMESTAMP(3),
ADD COLUMN "rumourNote" TEXT,
ADD COLUMN "rumourMarkedById" INTEGER;

ALTER TABLE "Response" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'statement';

CREATE TABLE "PolicyAssessment" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "report" BYTEA NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyAssessment_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "PolicyAssessment_createdAt_idx" ON "PolicyAssessment"("createdAt");
