-- Claiming looks up other jobs of the same key (one running, or one that ended within the key interval);
-- without this index each look-up scanned every finished job.
CREATE INDEX jobs_by_key ON jobs (key, updated_at) WHERE state IN ('running', 'done', 'failed');
