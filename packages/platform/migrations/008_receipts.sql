-- Signed receipts: the receiver's signature over a message's digest, given when it
-- acknowledges the message; kept so the sender can fetch it (proof of receipt with its time).
CREATE TABLE receipts (
  message_seq  bigint NOT NULL REFERENCES messages (seq),
  receiver     text NOT NULL REFERENCES institutions (id),
  case_id      text NOT NULL,
  -- the receipt as signed (RFC 8785 form is computed from it) and the receiver's detached JWS
  receipt      jsonb NOT NULL,
  signature    text NOT NULL,
  stored_at    timestamptz NOT NULL,
  PRIMARY KEY (message_seq, receiver)
);
CREATE INDEX receipts_case ON receipts (case_id);
