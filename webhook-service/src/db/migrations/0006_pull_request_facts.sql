-- Read by evaluations: who pushed each head (GitHub's REST API does not say; the pull_request delivery's
-- sender does), and the body digest of the published comment so an unchanged comment is not rewritten.
ALTER TABLE deliveries ADD COLUMN pull_number integer;
ALTER TABLE deliveries ADD COLUMN head_sha text;
ALTER TABLE deliveries ADD COLUMN sender text;
CREATE INDEX deliveries_pull_request ON deliveries (repository, pull_number, received_at);

ALTER TABLE pull_request_outputs ADD COLUMN comment_digest text;
ALTER TABLE check_runs ADD COLUMN output_digest text;

-- Glossary name uses of the plan (names only, taken from the masked review), checked by evaluations.
ALTER TABLE plan_reviews ADD COLUMN names jsonb NOT NULL DEFAULT '[]'::jsonb;
