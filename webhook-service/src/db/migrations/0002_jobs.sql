-- Durable job queue: workers claim with FOR UPDATE SKIP LOCKED and hold a lease; a job whose lease ran out
-- (its process died) is claimed again, so work resumes after a crash.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  -- Coalescing key: at most one queued job per key (e.g. one evaluation per pull request).
  key text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX jobs_one_queued_per_key ON jobs (key) WHERE state = 'queued';
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE state IN ('queued', 'running');
