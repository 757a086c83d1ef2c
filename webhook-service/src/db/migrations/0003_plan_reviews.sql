-- Plan reviews uploaded per (repository, head SHA, stack): the masked review, digest and findings only,
-- never raw plan values.
CREATE TABLE plan_reviews (
  id bigserial PRIMARY KEY,
  repository text NOT NULL,
  head_sha text NOT NULL,
  stack text NOT NULL,
  plan_digest text NOT NULL,
  facts jsonb NOT NULL,
  review jsonb NOT NULL,
  findings jsonb NOT NULL DEFAULT '[]'::jsonb,
  summary_markdown text,
  uploaded_by text,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (repository, head_sha, stack)
);
