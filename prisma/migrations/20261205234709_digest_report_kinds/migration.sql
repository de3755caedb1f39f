-- Which scheduled reports (周报/月报/季报/年报) a digest subscriber receives; existing rows get all four, as before
-- every subscriber received the 周报 and 月报 and the 季报/年报 are scheduled the same way.
-- AlterTable
ALTER TABLE "DigestSubscription" ADD COLUMN     "reportKinds" TEXT[] DEFAULT ARRAY['week', 'month', 'quarter', 'year']::TEXT[];
