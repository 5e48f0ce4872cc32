-- Riffle core schema: users and their tokens, spaces and memberships, pipelines, function versions and
-- pipeline tokens. Ids are text (UUIDs from Tokens.newId) so that later tables (roles, OIDC identities,
-- secrets, audit) can reference them without conversions.

CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    password_hash text NULL,
    admin         boolean NOT NULL DEFAULT false,
    oidc_subject  text NULL UNIQUE,
    created_at    timestamptz NOT NULL
);

CREATE TABLE personal_tokens (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX personal_tokens_user_idx ON personal_tokens (user_id);

CREATE TABLE spaces (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NULL REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE space_members (
    space_id text NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_user_idx ON space_members (user_id);

CREATE TABLE pipelines (
    id               text PRIMARY KEY,
    space_id         text NOT NULL REFERENCES spaces (id) ON DELETE RESTRICT,
    name             text NOT NULL,
    state            text NOT NULL CHECK (state IN ('running', 'paused')),
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_connector jsonb NULL,
    sink_connector   jsonb NULL,
    settings         jsonb NOT NULL,
    active_version   integer NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX pipelines_space_idx ON pipelines (space_id);

CREATE TABLE function_versions (
    pipeline_id      text NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    version          integer NOT NULL CHECK (version >= 1),
    source           text NOT NULL,
    requirements_txt text NOT NULL DEFAULT '',
    environments     jsonb NOT NULL DEFAULT '[]'::jsonb,
    build_status     text NOT NULL CHECK (build_status IN ('building', 'ready', 'failed')),
    build_log        text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (pipeline_id, version)
);

CREATE TABLE pipeline_tokens (
    id          text PRIMARY KEY,
    pipeline_id text NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name        text NOT NULL,
    token_enc   text NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz NULL
);
CREATE INDEX pipeline_tokens_pipeline_idx ON pipeline_tokens (pipeline_id);
