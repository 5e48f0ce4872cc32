-- Identity and access: installation-wide secrets, the audit log and a sentinel that proves the master key.

CREATE TABLE secrets (
    key        text PRIMARY KEY CHECK (key ~ '^[A-Za-z0-9_]{1,128}$'),
    value_enc  text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Written once with the master key of the first start; read back at every start, so that a wrong key is refused
-- at once with a clear message instead of failing later on the first pipeline token or secret.
CREATE TABLE installation (
    name  text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_id    text NULL,
    actor_email text NULL,
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text NULL,
    space_id    text NULL,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
-- No foreign keys: the log outlives the users, spaces and pipelines it names.
CREATE INDEX audit_log_space_idx ON audit_log (space_id, id DESC);
