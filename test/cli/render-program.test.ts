import { strict as assert } from "node:assert";
import ts from "typescript";
import { renderProgram, secretConfigCommands } from "../../provider/cli/render-program";
import { dashboardLinksOf, type EnvironmentSnapshot } from "../../provider/cli/snapshot";
import { AGENT_DEFAULTS } from "../../provider/client/schemas";

const at = "2026-11-23T00:00:00.000Z";
const snapshot: EnvironmentSnapshot = {
  project: "default",
  environment: { id: "e1", projectId: "p1", slug: "dev", name: "Development", createdAt: at, updatedAt: at },
  variables: [
    { environmentId: "e1", key: "OPENAI_API_KEY", kind: "SECRET", value: null, version: 3, createdAt: at, updatedAt: at },
    { environmentId: "e1", key: "LOG_LEVEL", kind: "PLAIN", value: 'debug "quoted"', version: 1, createdAt: at, updatedAt: at },
  ],
  agents: [
    {
      ...AGENT_DEFAULTS,
      id: "a1",
      projectId: "p1",
      environmentId: "e1",
      slug: "support",
      name: "Support",
      model: "anthropic:claude-sonnet-4-6",
      systemPrompt: "Help.\nLine two.",
      isActive: true,
      currentVersionId: "av1",
      versionNumber: 2,
      createdAt: at,
      updatedAt: at,
    },
  ],
  keysNameVariables: true,
  providerKeys: [
    {
      id: "k1",
      environmentId: "e1",
      provider: "openai",
      label: "primary",
      envVarName: "OPENAI_API_KEY",
      isDefault: true,
      createdBy: "admin",
      createdAt: at,
      updatedAt: at,
      lastUsedAt: null,
    },
  ],
};

describe("import program renderer", () => {
  const program = renderProgram(snapshot);

  it("declares every object with adopt: true", () => {
    assert.match(program, /new Environment\("env-dev", \{ project, slug: "dev", name: "Development", adopt: true, retain: true \}\)/);
    assert.match(program, /const target = \{ project, environment: environment.slug, adopt: true \}/);
    assert.match(program, /new EnvironmentVariable\("var-log-level", \{ \.\.\.target, key: "LOG_LEVEL", value: "debug \\"quoted\\"" \}\)/);
    assert.match(program, /new Agent\("agent-support"/);
  });

  it("writes that the adopted environment stays in Platos when the stack is destroyed (retain: true)", () => {
    assert.match(program, /new Environment\([^)]*\bretain: true \}\)/);
  });

  it("declares each provider key naming its variable's resource, so the variable is written first", () => {
    assert.match(program, /const openaiApiKeyVariable = new EnvironmentVariable\("var-openai-api-key"/);
    assert.match(
      program,
      /new ProviderKey\("key-openai-primary", \{ \.\.\.target, provider: "openai", label: "primary", variable: openaiApiKeyVariable, isDefault: true \}\)/,
    );
  });

  it("on real Platos, declares each provider key by the name of the credential added in its dashboard, no variable", () => {
    const platform = renderProgram({ ...snapshot, keysNameVariables: false });
    assert.match(
      platform,
      /new ProviderKey\("key-openai-primary", \{ \.\.\.target, provider: "openai", label: "primary", variable: "OPENAI_API_KEY", isDefault: true \}\)/,
    );
    assert.ok(!platform.includes("const openaiApiKeyVariable"), "no variable resource is kept for it");
  });

  it("reads secret values from stack config, never inlines them", () => {
    assert.match(program, /key: "OPENAI_API_KEY", value: config.requireSecret\("OPENAI_API_KEY"\), secret: true/);
  });

  it("is valid TypeScript", () => {
    const output = ts.transpileModule(program, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    assert.deepEqual(
      output.diagnostics?.map((d) => d.messageText),
      [],
    );
  });

  it("prints the config commands for secrets only", () => {
    assert.deepEqual(secretConfigCommands(snapshot, "dev"), ["pulumi config set --secret --stack dev OPENAI_API_KEY '<value of OPENAI_API_KEY>'"]);
  });
});

describe("import program renderer: dashboard links", () => {
  const links = dashboardLinksOf(snapshot, "https://app.platos.example.com", { organizationSlug: "acme", projectSlug: "default" });
  const program = renderProgram({ ...snapshot, dashboard: links });
  const env = "https://app.platos.example.com/orgs/acme/projects/default/env/dev";

  it("points at the environment, its variables, its provider keys and each agent in the dashboard", () => {
    assert.deepEqual(links, {
      base: "https://app.platos.example.com",
      environment: env,
      variables: `${env}/environment-variables`,
      providerKeys: `${env}/agent-providers`,
      agents: { support: `${env}/agents/a1` },
    });
    assert.ok(program.includes(`// Provider keys in the dashboard: "${env}/agent-providers"\nnew ProviderKey("key-openai-primary"`));
    assert.ok(program.includes(`// The environment in the dashboard: "${env}"\n`));
    assert.ok(program.includes(`// Variables in the dashboard: "${env}/environment-variables"\n`));
    assert.ok(program.includes(`// Agent "support" in the dashboard: "${env}/agents/a1"\nnew Agent("agent-support"`));
  });

  it("exports the environment's dashboardUrl and says which setting gives it", () => {
    assert.match(program, /dashboardUrl outputs need the provider setting platos:dashboardUrl set to "https:\/\/app\.platos\.example\.com"/);
    assert.match(program, /^export const dashboardUrl = environment\.dashboardUrl;$/m);
    const output = ts.transpileModule(program, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    assert.deepEqual(
      output.diagnostics?.map((d) => d.messageText),
      [],
    );
  });

  it("has no links without them", () => {
    assert.ok(!renderProgram(snapshot).includes("dashboard"));
  });
});
