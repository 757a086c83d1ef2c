-- Every webhook delivery, unique by GitHub's X-GitHub-Delivery id: a redelivery inserts nothing.
CREATE TABLE deliveries (
  id text PRIMARY KEY,
  event text NOT NULL,
  action text,
  installation_id bigint,
  repository text,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- The raw body as received (after signature verification), so work survives a crash before processing.
  payload text NOT NULL,
  processed_at timestamptz,
  outcome text,
  -- Set when the delivery's audit event is written (in batches, off the acknowledgement path).
  audited boolean NOT NULL DEFAULT false
);
CREATE INDEX deliveries_received_at ON deliveries (received_at);
CREATE INDEX deliveries_unaudited ON deliveries (received_at) WHERE NOT audited;
