-- Browser sessions and OIDC sign-ins in flight. Only hashes of the session ids and OIDC states are stored, so a
-- copy of the database does not let anyone take over a session.

CREATE TABLE web_sessions (
    id_hash      text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    via          text NOT NULL CHECK (via IN ('password', 'token', 'oidc')),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);

CREATE TABLE oidc_pending_logins (
    state_hash    text PRIMARY KEY,
    nonce         text NOT NULL,
    code_verifier text NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
