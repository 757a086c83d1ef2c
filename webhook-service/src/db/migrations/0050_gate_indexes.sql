-- GATE: the apply gate finds a change by (repository, head SHA); the dashboard lists changes newest first and
-- reads one pull request's audit events. Indexes only: the tables belong to CORE.
CREATE INDEX IF NOT EXISTS decisions_repository_head ON decisions (repository, head_sha, generation DESC);
CREATE INDEX IF NOT EXISTS decisions_evaluated_at ON decisions (evaluated_at DESC, repository, pull_number);
CREATE INDEX IF NOT EXISTS audit_log_pull_request ON audit_log (repository, pull_number, seq);
CREATE INDEX IF NOT EXISTS audit_log_head_sha ON audit_log (repository, head_sha, seq);
