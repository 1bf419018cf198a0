import { strict as assert } from "node:assert";
import { agentProvider, withDefaults, type AgentInputs } from "../../provider/providers/agent";
import { environmentProvider } from "../../provider/providers/environment";
import { testModeFailures, variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { providerKeyProvider } from "../../provider/providers/provider-key";
import { UNKNOWN } from "../../provider/providers/inputs";
import { resetConfiguration } from "../../provider/runtime/settings";

/** Settings check needs (it reports missing ones); nothing here reaches the API. */
const settings: Record<string, string> = { "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:9", "platos:token": "unused" };
const check = async (provider: typeof variableProvider, news: Record<string, unknown>) => {
  await provider.configure!({ config: { get: (key: string) => settings[key], require: (key: string) => settings[key]! } });
  return provider.check!({}, news);
};

describe("check", () => {
  it("accepts valid variable inputs and fills secret: false", async () => {
    const result = await check(variableProvider, { project: "default", environment: "dev", key: "OPENAI_API_KEY", value: "x" });
    assert.deepEqual(result.failures, []);
    assert.equal((result.inputs as { secret: boolean }).secret, false);
  });

  it("names the property and the rule, never the value", async () => {
    const result = await check(variableProvider, { project: "default", environment: "Dev Env", key: "openai_key", value: "" });
    const byProperty = Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
    assert.match(byProperty.environment!, /^environment must be lowercase letters and digits/);
    assert.match(byProperty.key!, /^key must be an uppercase letter/);
    assert.match(byProperty.value!, /^value must not be empty/);
  });

  it("takes a rotation counter that is a whole number from 0", async () => {
    const base = { project: "p", environment: "dev", key: "K", value: "v", secret: true };
    assert.deepEqual((await check(variableProvider, { ...base, rotation: 3 })).failures, []);
    for (const bad of [-1, 1.5, "2"]) {
      assert.deepEqual(
        (await check(variableProvider, { ...base, rotation: bad })).failures?.map((f) => f.property),
        ["rotation"],
        String(bad),
      );
    }
  });

  it("names a malformed dashboard URL at preview", async () => {
    settings["platos:dashboardUrl"] = "app.platos.example.com";
    try {
      const result = await check(environmentProvider, { project: "p", slug: "dev" });
      assert.deepEqual(result.failures, [
        {
          property: "",
          reason:
            "platos:dashboardUrl must be the http(s) base URL of the Platos dashboard, e.g. https://app.platos.example.com (read from stack config platos:dashboardUrl, else PLATOS_DASHBOARD_URL)",
        },
      ]);
    } finally {
      delete settings["platos:dashboardUrl"];
      resetConfiguration(); // configure keeps a key the next config leaves out
    }
  });

  it("reports missing required inputs", async () => {
    const result = await check(environmentProvider, { project: "default" });
    assert.deepEqual(result.failures, [{ property: "slug", reason: "slug is required" }]);
  });

  it("a value of the wrong type is not called missing", async () => {
    const result = await check(variableProvider, { project: "default", environment: "dev", key: "LOG_LEVEL", value: "warn", secret: "yes" });
    assert.deepEqual(result.failures, [{ property: "secret", reason: "secret must be a boolean" }]);
  });

  it("rejects a value longer than 8192 characters without echoing it", async () => {
    const secret = "s".repeat(8193);
    const result = await check(variableProvider, { project: "p", environment: "dev", key: "K", value: secret, secret: true });
    assert.equal(result.failures?.length, 1);
    assert.ok(!JSON.stringify(result.failures).includes("sss"));
  });

  it("lets unknown (computed) inputs through during preview", async () => {
    const result = await check(variableProvider, { project: "default", environment: UNKNOWN, key: "K", value: UNKNOWN });
    assert.deepEqual(result.failures, []);
    assert.equal((result.inputs as Record<string, unknown>).value, UNKNOWN);
  });

  it("fills agent defaults so a removed field returns to its default", async () => {
    const result = await check(agentProvider, {
      project: "p",
      environment: "dev",
      slug: "support",
      name: "Support",
      model: "anthropic:claude-sonnet-4-6",
      metaTools: { memory_extract: true },
    });
    assert.deepEqual(result.failures, []);
    const inputs = result.inputs as ReturnType<typeof withDefaults>;
    assert.equal(inputs.maxSteps, 20);
    assert.equal(inputs.contextLimit, 20);
    assert.deepEqual(inputs.promptBlocks, []);
    assert.equal(inputs.metaTools.memory_extract, true);
    assert.equal(inputs.metaTools.find_tools, true);
    assert.equal(inputs.isActive, true);
  });

  it("keeps an agent's unknown metaTools unknown, so the diff reports a possible change", async () => {
    const news = { project: "p", environment: "dev", slug: "s", name: "S", model: "anthropic:claude-sonnet-4-6", metaTools: UNKNOWN };
    const result = await check(agentProvider, news);
    assert.deepEqual(result.failures, []);
    const inputs = result.inputs as Record<string, unknown>;
    assert.equal(inputs.metaTools, UNKNOWN);
    assert.equal(inputs.maxSteps, 20);
    const olds = withDefaults({ project: "p", environment: "dev", slug: "s", name: "S", model: "anthropic:claude-sonnet-4-6", isActive: true });
    assert.equal((await agentProvider.diff!("id", olds, inputs)).changes, true);
  });

  it("rejects an agent model that is not provider:model", async () => {
    const result = await check(agentProvider, { project: "p", environment: "dev", slug: "s", name: "S", model: "gpt-4o", maxSteps: 0 });
    const properties = (result.failures ?? []).map((f) => f.property).sort();
    assert.deepEqual(properties, ["maxSteps", "model"]);
  });
});

describe("PLATOS_TEST_MODE guard in check", () => {
  const on = ["true", "1"];
  const off = ["false", "0", ""];
  const invalid = ["TRUE", " true", "yes", "on", "True", "1 "];
  for (const environment of ["prod", "production"]) {
    for (const value of on) {
      it(`refuses ${JSON.stringify(value)} on ${environment}`, () => {
        assert.equal(testModeFailures({ key: "PLATOS_TEST_MODE", value, environment }).length, 1);
      });
    }
    for (const value of off) {
      it(`allows ${JSON.stringify(value)} on ${environment}`, () => {
        assert.deepEqual(testModeFailures({ key: "PLATOS_TEST_MODE", value, environment }), []);
      });
    }
  }
  for (const value of invalid) {
    it(`refuses the boot-breaking spelling ${JSON.stringify(value)} on every environment`, () => {
      assert.equal(testModeFailures({ key: "PLATOS_TEST_MODE", value, environment: "dev" }).length, 1);
    });
  }
  it("allows test mode on dev and staging", () => {
    assert.deepEqual(testModeFailures({ key: "PLATOS_TEST_MODE", value: "true", environment: "dev" }), []);
    assert.deepEqual(testModeFailures({ key: "PLATOS_TEST_MODE", value: "1", environment: "staging" }), []);
  });
  it("refuses test mode on when the target environment is not yet known", () => {
    assert.equal(testModeFailures({ key: "PLATOS_TEST_MODE", value: "true", environment: UNKNOWN }).length, 1);
  });
  it("leaves an unknown value to the check that runs once it is known", () => {
    assert.deepEqual(testModeFailures({ key: "PLATOS_TEST_MODE", value: UNKNOWN, environment: "prod" }), []);
  });
  it("ignores other keys", () => {
    assert.deepEqual(testModeFailures({ key: "OTHER", value: "true", environment: "prod" }), []);
  });
  it("runs inside the provider's check", async () => {
    const result = await check(variableProvider, { project: "p", environment: "prod", key: "PLATOS_TEST_MODE", value: "true" });
    assert.equal(result.failures?.[0]?.property, "value");
    assert.match(result.failures?.[0]?.reason ?? "", /must not be on in production \(environment "prod", by the default rule\)/);
  });
});

describe("diff", () => {
  const variableOlds = {
    project: "p",
    environment: "dev",
    key: "K",
    value: "a",
    secret: false,
    kind: "PLAIN",
    version: 1,
    writtenVersion: 1,
    environmentId: "e1",
  };
  const variableNews = { project: "p", environment: "dev", key: "K", value: "a", secret: false };

  it("reports no change for identical inputs (provider code changes alone do not diff)", async () => {
    const result = await variableProvider.diff!("id", { ...variableOlds, __provider: "old" }, { ...variableNews, __provider: "new" });
    assert.equal(result.changes, false);
    assert.deepEqual(result.replaces, []);
  });

  it("updates a value in place", async () => {
    const result = await variableProvider.diff!("id", variableOlds, { ...variableNews, value: "b" });
    assert.equal(result.changes, true);
    assert.deepEqual(result.replaces, []);
    assert.equal(result.deleteBeforeReplace, false);
  });

  for (const field of ["project", "environment", "key"] as const) {
    it(`replaces, creating the new one first, when ${field} changes`, async () => {
      const result = await variableProvider.diff!("id", variableOlds, { ...variableNews, [field]: field === "key" ? "K2" : "other" });
      assert.deepEqual(result.replaces, [field]);
      assert.equal(result.deleteBeforeReplace, false);
    });
  }

  it("reports an unknown replace trigger as a possible replacement", async () => {
    const result = await variableProvider.diff!("id", variableOlds, { ...variableNews, environment: UNKNOWN });
    assert.deepEqual(result.replaces, ["environment"]);
  });

  describe("a secret rotated outside Pulumi", () => {
    const olds = { ...variableOlds, secret: true, kind: "SECRET", version: 3, writtenVersion: 2 };
    const news = { ...variableNews, secret: true };

    it("is kept while the declared value and the rotation counter stay the same", async () => {
      assert.equal((await variableProvider.diff!("id", olds, news)).changes, false);
      assert.equal((await variableProvider.diff!("id", { ...olds, rotation: 2 }, { ...news, rotation: 2 })).changes, false);
    });

    it("counts an absent rotation counter as 0, so adding `rotation: 0` writes nothing", async () => {
      assert.equal((await variableProvider.diff!("id", olds, { ...news, rotation: 0 })).changes, false);
    });

    for (const [what, change] of [
      ["the declared value changes", { value: "b" }],
      ["the rotation counter changes", { rotation: 1 }],
      ["the rotation counter is unknown", { rotation: UNKNOWN }],
    ] as const) {
      it(`is written over in place when ${what}`, async () => {
        const result = await variableProvider.diff!("id", olds, { ...news, ...change });
        assert.equal(result.changes, true);
        assert.deepEqual(result.replaces, []);
      });
    }
  });

  it("writes a plain value again when the rotation counter changes", async () => {
    assert.equal((await variableProvider.diff!("id", variableOlds, { ...variableNews, rotation: 1 })).changes, true);
  });

  it("never diffs on declaredBy: state written before it existed, or a resource renamed (aliased), shows no change", async () => {
    const by = (name: string) => ({ declaredBy: `organization/app/dev::pulumi-nodejs:dynamic/platos:Thing::${name}` });
    const environment = { project: "p", slug: "dev", name: "dev", projectId: "pid" };
    const agent = withDefaults({ project: "p", environment: "dev", slug: "s", name: "S", model: "anthropic:claude-sonnet-4-6", isActive: true });
    const keyInputs = { project: "p", environment: "dev", provider: "openai", label: "l", variable: "K", isDefault: false };
    const key = { ...keyInputs, environmentId: "e1", envVarName: "K" };
    const set = {
      project: "p",
      environment: "dev",
      variables: { A: "a" },
      secrets: {},
      environmentId: "e1",
      versions: { A: { kind: "PLAIN", version: 1, writtenVersion: 1 } },
    };
    const cases: [typeof variableProvider, Record<string, unknown>, Record<string, unknown>][] = [
      [environmentProvider, environment, { project: "p", slug: "dev" }],
      [variableProvider, variableOlds, variableNews],
      [agentProvider, agent, agent],
      [providerKeyProvider, key, keyInputs],
      [variableSetProvider, set, { project: "p", environment: "dev", variables: { A: "a" }, secrets: {} }],
    ];
    for (const [provider, olds, news] of cases) {
      assert.equal((await provider.diff!("id", olds, { ...news, ...by("new") })).changes, false);
      assert.equal((await provider.diff!("id", { ...olds, ...by("old") }, { ...news, ...by("new") })).changes, false);
    }
  });

  it("updates an environment whose retain or deleteContents changed (what its delete does), and not for adopt, which counts as at create", async () => {
    const olds = { project: "p", slug: "dev", name: "dev", projectId: "pid", adopt: true };
    assert.equal((await environmentProvider.diff!("id", olds, { project: "p", slug: "dev" })).changes, false);
    for (const change of [{ retain: false }, { deleteContents: true }]) {
      const result = await environmentProvider.diff!("id", olds, { project: "p", slug: "dev", adopt: true, ...change });
      assert.deepEqual([result.changes, result.replaces], [true, []], JSON.stringify(change));
    }
  });

  it("treats an environment's omitted name as its slug", async () => {
    const olds = { project: "p", slug: "dev", name: "dev", projectId: "pid" };
    assert.equal((await environmentProvider.diff!("id", olds, { project: "p", slug: "dev" })).changes, false);
    assert.equal((await environmentProvider.diff!("id", olds, { project: "p", slug: "dev", name: "Dev" })).changes, true);
  });

  it("does not replace an environment when its project is given by the id it resolved to", async () => {
    const olds = { project: "default", slug: "dev", name: "dev", projectId: "pid" };
    const result = await environmentProvider.diff!("id", olds, { project: "pid", slug: "dev" });
    assert.deepEqual(result.replaces, []);
  });

  it("updates an agent in place on a behaviour change and replaces it on a slug change", async () => {
    const base: AgentInputs = { project: "p", environment: "dev", slug: "s", name: "S", model: "anthropic:claude-sonnet-4-6", isActive: true };
    const olds = withDefaults(base);
    assert.equal((await agentProvider.diff!("id", olds, withDefaults(base))).changes, false);
    const changedModel = await agentProvider.diff!("id", olds, withDefaults({ ...base, maxSteps: 40 }));
    assert.equal(changedModel.changes, true);
    assert.deepEqual(changedModel.replaces, []);
    const changedSlug = await agentProvider.diff!("id", olds, withDefaults({ ...base, slug: "s2" }));
    assert.deepEqual(changedSlug.replaces, ["slug"]);
    assert.equal(changedSlug.deleteBeforeReplace, false);
  });
});
