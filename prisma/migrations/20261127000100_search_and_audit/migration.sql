-- AlterTable
ALTER TABLE "Mention" ADD COLUMN     "searchVector" tsvector;

-- CreateIndex
CREATE INDEX "Mention_searchVector_idx" ON "Mention" USING GIN ("searchVector");

-- Chinese full-text search: the application stores space-separated jieba tokens in "searchTokens";
-- the 'simple' configuration indexes them as they are (no stemming, no stop words).
CREATE FUNCTION "mention_search_vector_update"() RETURNS trigger AS $$
BEGIN
  NEW."searchVector" := to_tsvector('simple', coalesce(NEW."searchTokens", ''));
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "mention_search_vector"
  BEFORE INSERT OR UPDATE OF "searchTokens" ON "Mention"
  FOR EACH ROW EXECUTE FUNCTION "mention_search_vector_update"();

-- The audit log is append-only: no update, no delete, whoever asks.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_log_no_update"
  BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();

CREATE TRIGGER "audit_log_no_truncate"
  BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
