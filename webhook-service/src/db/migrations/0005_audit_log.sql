-- Append-only, hash-chained audit log: each row's hash covers its content and the previous row's hash,
-- so `sluice audit verify` names the first edited, inserted or deleted row. The trigger refuses UPDATE and
-- DELETE as a second line of defence; the chain catches what the trigger cannot (a superuser, a restore).
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  repository text,
  pull_number integer,
  head_sha text,
  plan_digest text,
  delivery_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
