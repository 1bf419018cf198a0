/**
 * `dashboardUrl` outputs: the dashboard's own paths, made only with platos:dashboardUrl, from slugs read once per
 * provider process, never in diff. The providers' methods as the host calls them, once per protocol, one emulator.
 */
import { strict as assert } from "node:assert";
import { PROTOCOLS, type Protocol } from "../../provider/platos";
import { dashboardUrl } from "../../provider/platos/dashboard";
import { agentProvider } from "../../provider/providers/agent";
import { environmentProvider } from "../../provider/providers/environment";
import { variableProvider } from "../../provider/providers/environment-variable";
import { providerKeyProvider } from "../../provider/providers/provider-key";
import { platosWorld } from "../helpers/platos-world";
import { configureProviders, newProviderProcess } from "../helpers/provider-process";
import { stderrDuring } from "../helpers/stderr-lines";
import { testProtocol } from "../helpers/test-protocols";
import { provideKeyMaterial, stackConfig } from "../platos/support";

type Props = Record<string, unknown>;
type Provider = typeof variableProvider;

describe("dashboard paths", () => {
  const place = { organizationSlug: "acme", projectSlug: "shop", environmentSlug: "prod" };
  const base = "https://app.platos.example.com";

  it("are the webapp's routes: environment, environment variables, an agent by id, provider keys", () => {
    assert.equal(dashboardUrl(base, place, { kind: "environment" }), `${base}/orgs/acme/projects/shop/env/prod`);
    assert.equal(dashboardUrl(base, place, { kind: "environment-variables" }), `${base}/orgs/acme/projects/shop/env/prod/environment-variables`);
    assert.equal(dashboardUrl(base, place, { kind: "agent", agentId: "agt_1" }), `${base}/orgs/acme/projects/shop/env/prod/agents/agt_1`);
    assert.equal(dashboardUrl(base, place, { kind: "providers" }), `${base}/orgs/acme/projects/shop/env/prod/agent-providers`);
  });

  it("escapes each segment", () => {
    assert.equal(dashboardUrl(base, place, { kind: "agent", agentId: "a/b?c" }), `${base}/orgs/acme/projects/shop/env/prod/agents/a%2Fb%3Fc`);
  });
});

describe("dashboardUrl outputs", function () {
  this.timeout(60_000);
  const world = platosWorld();

  /** A new Pulumi operation, its provider process configured with `config`. */
  async function providerProcess(config: Record<string, string>): Promise<void> {
    newProviderProcess();
    await configureProviders(config);
    world.recorder.reset();
  }

  const created = async (provider: Provider, news: Props) => {
    const checked = await provider.check!({}, news);
    assert.deepEqual(checked.failures, []);
    const result = await provider.create(checked.inputs!);
    return { id: result.id, outs: result.outs as Props };
  };
  /** An environment with a variable, a provider key naming it and an agent, as one `up` makes them. */
  async function upEnvironment(slug: string, protocol: Protocol) {
    const environment = await created(environmentProvider, { project: "default", slug });
    const target = { project: "default", environment: slug };
    // On V1 the key's credential is the variable declared below; real Platos needs one added in its dashboard.
    if (testProtocol(protocol).keyCredential === "dashboard")
      await provideKeyMaterial(world.emulator, protocol, environment.id, { name: "OPENAI_API_KEY", provider: "openai", value: "sk-links" });
    const variable = await created(variableProvider, { ...target, key: "OPENAI_API_KEY", value: "sk-links", secret: true });
    const agent = await created(agentProvider, { ...target, slug, name: slug, model: "anthropic:claude-sonnet-4-6" });
    const key = await created(providerKeyProvider, { ...target, provider: "openai", label: "primary", variable: "OPENAI_API_KEY" });
    return { environment, variable, agent, key };
  }
  // At the root on v1; under the core-api surface (platos:coreApiUrl) on platform.
  const organizationReads = () => world.recorder.requests.filter((r) => r.path.endsWith("/api/v1/organizations"));

  for (const protocol of PROTOCOLS)
    describe(protocol, () => {
      let config: Record<string, string>;
      before(async () => {
        config = stackConfig((await world.accessOn(protocol)).settings);
      });

      it("with platos:dashboardUrl, each resource outputs its page; the slugs are read once per process and never in diff", async () => {
        await providerProcess({ ...config, "platos:dashboardUrl": "https://dash.example.test/platos/" });
        const slug = `links-${protocol}`;
        const { environment, variable, agent, key } = await upEnvironment(slug, protocol);

        const page = `https://dash.example.test/platos/orgs/default/projects/default/env/${slug}`;
        assert.equal(environment.outs.dashboardUrl, page);
        assert.equal(variable.outs.dashboardUrl, `${page}/environment-variables`);
        assert.equal(agent.outs.dashboardUrl, `${page}/agents/${agent.id}`);
        assert.equal(key.outs.dashboardUrl, `${page}/agent-providers`);

        for (const [provider, made] of [
          [environmentProvider, environment],
          [variableProvider, variable],
          [agentProvider, agent],
          [providerKeyProvider, key],
        ] as const) {
          const read = await provider.read!(made.id, made.outs);
          assert.equal(read.props?.dashboardUrl, made.outs.dashboardUrl);
          assert.equal(read.inputs?.dashboardUrl, undefined, "an output, never an input");
        }
        assert.equal(organizationReads().length, 1, "read once for the whole process");

        await providerProcess({ ...config, "platos:dashboardUrl": "https://dash.example.test" });
        for (const [provider, made] of [
          [environmentProvider, environment],
          [variableProvider, variable],
          [agentProvider, agent],
        ] as const) {
          const diff = await provider.diff!(made.id, made.outs, made.outs);
          assert.equal(diff.changes, false);
        }
        assert.deepEqual(world.recorder.requests, [], "a no-change diff asks Platos nothing");
      });

      it("without platos:dashboardUrl, no resource outputs one; with it, an up costs two more requests", async () => {
        await providerProcess(config);
        const made = await upEnvironment(`nolinks-${protocol}`, protocol);
        for (const outs of Object.values(made).map((m) => m.outs)) assert.ok(!("dashboardUrl" in outs));
        const without = world.recorder.requests.length;
        assert.deepEqual(organizationReads(), []);

        await providerProcess({ ...config, "platos:dashboardUrl": "https://dash.example.test" });
        await upEnvironment(`links2-${protocol}`, protocol);
        assert.equal(world.recorder.requests.length, without + 2, "the projects and the organizations, once");
      });
    });

  it("platform without an operator token: no dashboardUrl, and one line that says why", async () => {
    const access = await world.accessOn("platform", { operator: false });
    await providerProcess({ ...stackConfig(access.settings), "platos:dashboardUrl": "https://dash.example.test" });
    const { result, lines } = await stderrDuring(async () => {
      const first = await created(variableProvider, { project: "default", environment: access.home!.slug, key: "FIRST_KEY", value: "v1", secret: true });
      await created(variableProvider, { project: "default", environment: access.home!.slug, key: "SECOND_KEY", value: "v2", secret: true });
      return first;
    });
    assert.ok(!("dashboardUrl" in result.outs));
    assert.deepEqual(lines, [
      "Platos: no dashboardUrl outputs: dashboard links need the organization and project slugs, and on the platform protocol only core-api lists them, to an operator session. Way out: set platos:operatorToken, or leave platos:dashboardUrl unset",
    ]);
    assert.deepEqual(organizationReads(), []);
    assert.equal((await world.admin.variables.get(access.home!.id, "FIRST_KEY")).kind, "SECRET");
  });
});
