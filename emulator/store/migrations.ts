/**
 * The schema, in order. Each entry runs once, in a transaction, and is recorded in schema_migrations; an entry
 * is never edited once released, only followed by a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tenancy, variables, agents, tokens, idempotency",
    sql: `
      CREATE TABLE organizations (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE projects (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES organizations (id),
        slug text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL,
        archived_at timestamptz
      );
      CREATE UNIQUE INDEX projects_live_slug ON projects (slug) WHERE archived_at IS NULL;

      -- Archived environments stay, so an old id still answers 404 (not 403) to a token scoped to its slug.
      CREATE TABLE environments (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES projects (id),
        slug text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        archived_at timestamptz
      );
      CREATE UNIQUE INDEX environments_live_slug ON environments (project_id, slug) WHERE archived_at IS NULL;

      -- Values are AES-256-GCM envelopes (emulator/crypto.ts); no plaintext column exists.
      CREATE TABLE variables (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PLAIN', 'SECRET')),
        value_ciphertext bytea NOT NULL,
        value_iv bytea NOT NULL,
        value_tag bytea NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        last_updated_by text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT variables_environment_key UNIQUE (environment_id, key)
      );

      -- An agent's behaviour is the snapshot of its current version; versions are never updated.
      CREATE TABLE agents (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES projects (id),
        environment_id text NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        slug text NOT NULL,
        name text NOT NULL,
        is_active boolean NOT NULL,
        current_version_id text NOT NULL,
        version_number integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT agents_environment_slug UNIQUE (environment_id, slug)
      );
      CREATE TABLE agent_versions (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
        version_number integer NOT NULL,
        snapshot jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (agent_id, version_number)
      );

      -- environment_slugs NULL means every environment of the project ("*").
      CREATE TABLE api_tokens (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        name text NOT NULL,
        project_id text NOT NULL REFERENCES projects (id),
        environment_slugs text[],
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );

      -- status NULL: the first request with this key is still running. The recorded body is sealed like a
      -- variable value, since a response may carry a PLAIN value.
      CREATE TABLE idempotency_records (
        principal text NOT NULL,
        key text NOT NULL,
        request_mac text NOT NULL,
        status integer,
        body_ciphertext bytea,
        body_iv bytea,
        body_tag bytea,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (principal, key)
      );
      CREATE INDEX idempotency_records_created_at ON idempotency_records (created_at);

      CREATE TABLE settings (
        name text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "the default organization and project",
    sql: `
      INSERT INTO organizations (id, name, created_at) VALUES (gen_random_uuid()::text, 'Default organization', now());
      INSERT INTO projects (id, organization_id, slug, name, created_at)
        SELECT gen_random_uuid()::text, id, 'default', 'Default project', now() FROM organizations;
    `,
  },
  {
    version: 3,
    name: "the platform surface: organization slug, plt_mcp_ tokens, approvals, agent unbinding, Platos meta tool names",
    sql: `
      ALTER TABLE organizations ADD COLUMN slug text;
      UPDATE organizations SET slug = 'default' WHERE slug IS NULL;
      ALTER TABLE organizations ALTER COLUMN slug SET NOT NULL;
      CREATE UNIQUE INDEX organizations_slug ON organizations (slug);

      -- Pinned to one environment; only the SHA-256 of the token is kept.
      CREATE TABLE mcp_tokens (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments (id),
        name text NOT NULL,
        permissions text[] NOT NULL,
        tier text NOT NULL CHECK (tier IN ('scope', 'admin')),
        token_hash text NOT NULL UNIQUE,
        minted_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      );
      CREATE INDEX mcp_tokens_environment ON mcp_tokens (environment_id);

      -- The original arguments, the operator's edits and the cached result are sealed like variable values (they
      -- may hold a secret); the hash is over the redacted arguments, which also appear in clear.
      CREATE TABLE approvals (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments (id),
        tool_name text NOT NULL,
        args_hash text NOT NULL,
        redacted_args jsonb NOT NULL,
        args_ciphertext bytea NOT NULL,
        args_iv bytea NOT NULL,
        args_tag bytea NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'timed_out', 'approved_with_edits')),
        expires_at timestamptz NOT NULL,
        responded_by text,
        comment text,
        edited_ciphertext bytea,
        edited_iv bytea,
        edited_tag bytea,
        consumed_at timestamptz,
        result_ciphertext bytea,
        result_iv bytea,
        result_tag bytea,
        created_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX approvals_pending ON approvals (environment_id, tool_name, args_hash) WHERE status = 'pending';

      -- MCP agents.delete unbinds: the row stays, out of its environment's listings, and keeps its slug taken.
      ALTER TABLE agents ADD COLUMN unbound_at timestamptz;
      ALTER TABLE agents DROP CONSTRAINT agents_environment_slug;
      CREATE UNIQUE INDEX agents_environment_slug ON agents (environment_id, slug) WHERE unbound_at IS NULL;
      CREATE INDEX agents_project_slug ON agents (project_id, slug);

      -- The meta tools were renamed to Platos's own; stored versions get the new defaults, keeping memory_extract.
      UPDATE agent_versions SET snapshot = jsonb_set(snapshot, '{metaTools}',
        '{"find_tools": true, "execute_tools": true, "remember": true, "recall": true, "forget": true, "list_memories": true,
          "relate": true, "memory_extract": false, "spawn_bgo": true, "spawn_task": true, "agent_batch": true}'::jsonb
        || jsonb_strip_nulls(jsonb_build_object('memory_extract', snapshot -> 'metaTools' -> 'memory_extract')))
      WHERE snapshot -> 'metaTools' ?| array['memory_search', 'knowledge_search', 'think', 'handoff'];
    `,
  },
  {
    version: 4,
    name: "provider keys, and the provider keys an agent's configuration names",
    sql: `
      -- A key names the SECRET variable of its environment that holds the material (env_var_name); it never holds any.
      CREATE TABLE provider_keys (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        provider text NOT NULL,
        label text NOT NULL,
        env_var_name text NOT NULL,
        is_default boolean NOT NULL,
        created_by text,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT provider_keys_environment_provider_label UNIQUE (environment_id, provider, label)
      );
      CREATE UNIQUE INDEX provider_keys_one_default ON provider_keys (environment_id, provider) WHERE is_default;

      -- Platos's agent fields that pin a key (providerKeyId, modelRoutes[].providerKeyId), set through the platform's
      -- agents.create/update; an agent with neither has no row.
      CREATE TABLE agent_provider_key_refs (
        agent_id text PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
        provider_key_id text,
        model_routes jsonb
      );
    `,
  },
  {
    version: 5,
    name: "approval rows keep no part of a secret in clear",
    sql: `
      -- Rows made before kept a secret's first four characters ("abcd…<redacted>"); the gate now stores "<redacted>".
      UPDATE approvals SET redacted_args = regexp_replace(redacted_args::text, '"[^"]*…<redacted>"', '"<redacted>"', 'g')::jsonb
        WHERE redacted_args::text LIKE '%…<redacted>%';
    `,
  },
  {
    version: 6,
    name: "provider credentials, as real Platos's BYOK flow makes them",
    sql: `
      -- A provider key's material on the platform surface: a credential tagged with its provider and named by the
      -- key's envVarName, made by the dashboard's Add key (BYOK) flow; an environment variable never is one.
      CREATE TABLE provider_credentials (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        environment_id text NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        name text NOT NULL,
        provider text NOT NULL,
        value_ciphertext bytea NOT NULL,
        value_iv bytea NOT NULL,
        value_tag bytea NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT provider_credentials_environment_name UNIQUE (environment_id, name)
      );
    `,
  },
];
