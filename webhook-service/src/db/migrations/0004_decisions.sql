-- One decision per (repository, pull request, head SHA); re-evaluations of the same SHA update it.
CREATE TABLE decisions (
  repository text NOT NULL,
  pull_number integer NOT NULL,
  head_sha text NOT NULL,
  state text NOT NULL,
  conclusion text NOT NULL,
  summary text NOT NULL,
  decision jsonb NOT NULL,
  plan_digest text,
  diff_digest text,
  -- Monotonic per pull request: a result from an older evaluation is never published over a newer one.
  generation bigint NOT NULL,
  evaluated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository, pull_number, head_sha)
);

-- Digests current when each review arrived (the engine's review.planDigest / review.diffDigest).
CREATE TABLE review_digests (
  repository text NOT NULL,
  review_id bigint NOT NULL,
  pull_number integer NOT NULL,
  commit_id text,
  plan_digest text,
  diff_digest text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository, review_id)
);

-- What the service published for a pull request: its one comment and the evaluation generation.
CREATE TABLE pull_request_outputs (
  repository text NOT NULL,
  pull_number integer NOT NULL,
  comment_id bigint,
  generation bigint NOT NULL DEFAULT 0,
  published_head_sha text,
  published_generation bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (repository, pull_number)
);

-- The check run per head SHA, so a redelivery or another replica updates it instead of creating another.
CREATE TABLE check_runs (
  repository text NOT NULL,
  head_sha text NOT NULL,
  check_run_id bigint NOT NULL,
  PRIMARY KEY (repository, head_sha)
);

CREATE TABLE installations (
  id bigint PRIMARY KEY,
  account text,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The installation each repository was last seen with, so jobs not started by a delivery (a plan upload,
-- a recovery) can get an installation token.
CREATE TABLE repositories (
  repository text PRIMARY KEY,
  installation_id bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
