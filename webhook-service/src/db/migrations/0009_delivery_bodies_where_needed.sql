-- A delivery keeps its body only when its job reads it later (installation changes, deployment protection
-- rules). Every other delivery keeps the SHA-256 of the body as received, and the fields its work and audit
-- read. Bodies carry user text (pull request and comment bodies, where a pasted secret would otherwise stay),
-- and on the intake they were most of what PostgreSQL wrote: 5.2 KB of WAL per stored pull_request delivery.
ALTER TABLE deliveries ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN body_sha256 text;
-- Set only on the closed delivery of a merged pull request: an apply on the merge commit finds its change.
ALTER TABLE deliveries ADD COLUMN merge_commit_sha text;
-- (A form-encoded body was stored as received, payload=…: it is not JSON and is left alone.)
UPDATE deliveries SET merge_commit_sha = body #>> '{pull_request,merge_commit_sha}',
  head_sha = coalesce(head_sha, body #>> '{pull_request,head,sha}')
FROM (SELECT id AS body_id, CASE WHEN payload LIKE '{%' THEN payload::jsonb END AS body FROM deliveries
      WHERE event = 'pull_request' AND action = 'closed') AS closed
WHERE id = body_id AND body #>> '{pull_request,merged}' = 'true';
CREATE INDEX deliveries_merge_commit ON deliveries (repository, merge_commit_sha)
  WHERE merge_commit_sha IS NOT NULL;
