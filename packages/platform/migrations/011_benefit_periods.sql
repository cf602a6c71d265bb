-- Benefit periods (standard 1.2: unemployment.benefit-started / -ended, pension.benefit-drawn):
-- who draws which benefit where, paid by which institution, from when until when. An
-- enrollment (or a pension transfer application) of the same person in another region during
-- a period brings the paying institution a notice, once per period and region (benefit_notices).
-- message_seq names the message that said it (no foreign key: the messages table may be
-- partitioned).
CREATE TABLE benefit_periods (
  case_id          text PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('unemployment', 'pension')),
  person_id        text NOT NULL,
  person           jsonb NOT NULL,
  scheme           text NOT NULL,
  region           text NOT NULL,
  institution_id   text NOT NULL,
  starts_on        date NOT NULL,
  expected_end_on  date,
  ended_on         date,
  message_seq      bigint NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX benefit_periods_person ON benefit_periods (person_id, kind);

CREATE TABLE benefit_notices (
  period_case_id  text NOT NULL REFERENCES benefit_periods (case_id),
  region          text NOT NULL,
  notice_case_id  text NOT NULL,
  message_seq     bigint NOT NULL,
  noticed_at      timestamptz NOT NULL,
  PRIMARY KEY (period_case_id, region)
);
