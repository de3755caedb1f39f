-- AlterTable
ALTER TABLE "Issue" ADD COLUMN     "lockedFields" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "resolvedAt" TIMESTAMP(3);

-- Issues resolved before this column existed: their last update is when the response went out.
UPDATE "Issue" SET "resolvedAt" = "updatedAt" WHERE "status" = 'resolved';

-- First and last seen from the mentions themselves: the clustering clock used to stamp a backlog with the time of
-- the newest post seen (an issue "last seen" before any of its mentions was).
UPDATE "Issue" AS i
   SET "firstSeenAt" = c.first, "lastSeenAt" = c.last
  FROM (SELECT "issueId", min(coalesce("publishedAt", "fetchedAt")) AS first, max(coalesce("publishedAt", "fetchedAt")) AS last
          FROM "Mention" WHERE "issueId" IS NOT NULL GROUP BY "issueId") AS c
 WHERE i.id = c."issueId" AND (i."firstSeenAt" <> c.first OR i."lastSeenAt" <> c.last);

-- Every confirmed issue has a level and a deadline: issues confirmed without one get the default level 一般 and
-- its deadline (72 h, RESPONSE_DEADLINE_HOURS in packages/domain) from now, and so do their open responses.
UPDATE "Issue" SET "level" = 'general', "deadlineAt" = now() + interval '72 hours'
 WHERE "status" IN ('confirmed', 'responding') AND "level" = 'none';
UPDATE "Response" AS r SET "deadlineAt" = i."deadlineAt"
  FROM "Issue" AS i
 WHERE i.id = r."issueId" AND r."deadlineAt" IS NULL AND r."status" <> 'published' AND i."deadlineAt" IS NOT NULL;
