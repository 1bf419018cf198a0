import { strict as assert } from "node:assert";
import { environmentProvider } from "../../provider/providers/environment";
import { resetContexts } from "../../provider/runtime/context";
import { numberFromEnv, readSettings, resetConfiguration, SETTINGS } from "../../provider/runtime/settings";

describe("provider settings from the environment", () => {
  const name = "PLATOS_TEST_NUMBER_SETTING";
  afterEach(() => delete process.env[name]);

  it("falls back when unset or empty, and reads a positive integer", () => {
    assert.equal(numberFromEnv(name, 8), 8);
    process.env[name] = "";
    assert.equal(numberFromEnv(name, 8), 8);
    process.env[name] = "16";
    assert.equal(numberFromEnv(name, 8), 16);
  });

  for (const bad of ["abc", "0", "-3", "2.5"]) {
    it(`names the variable for ${JSON.stringify(bad)}`, () => {
      process.env[name] = bad;
      assert.throws(() => numberFromEnv(name, 8), new RegExp(`^Error: ${name} must be a positive integer$`));
    });
  }
});

describe("provider settings: protocol and credentials", () => {
  const saved = Object.fromEntries(Object.values(SETTINGS).map(({ env }) => [env, process.env[env]]));
  beforeEach(() => Object.values(SETTINGS).forEach(({ env }) => delete process.env[env]));
  after(() => Object.entries(saved).forEach(([env, value]) => (value === undefined ? delete process.env[env] : (process.env[env] = value))));

  const from = (config: Record<string, string>) => readSettings({ get: (key) => config[key] });

  it("defaults to the platform protocol, which takes a plt_mcp_ token and an optional operator token", () => {
    assert.deepEqual(from({ "platos:apiUrl": "https://platos.example.com", "platos:token": "plt_mcp_abc" }).settings, {
      protocol: "platform",
      apiUrl: "https://platos.example.com",
      token: "plt_mcp_abc",
      operatorToken: undefined,
    });
  });

  it("falls back to the environment variables", () => {
    process.env.PLATOS_PROTOCOL = "v1";
    process.env.PLATOS_API_URL = "http://127.0.0.1:4600";
    process.env.PLATOS_TOKEN = "admin-token";
    process.env.PLATOS_OPERATOR_TOKEN = "operator-token";
    assert.deepEqual(from({}).settings, { protocol: "v1", apiUrl: "http://127.0.0.1:4600", token: "admin-token", operatorToken: "operator-token" });
  });

  it("reads core-api's own URL from platos:coreApiUrl, else PLATOS_CORE_API_URL, and leaves it out when unset", () => {
    const base = { "platos:apiUrl": "https://platos.example.com", "platos:token": "plt_mcp_abc" };
    assert.equal(from({ ...base, "platos:coreApiUrl": "https://core.platos.example.com" }).settings?.coreApiUrl, "https://core.platos.example.com");
    process.env.PLATOS_CORE_API_URL = "https://core.platos.example.com/api";
    assert.equal(from(base).settings?.coreApiUrl, "https://core.platos.example.com/api");
    delete process.env.PLATOS_CORE_API_URL;
    assert.ok(!("coreApiUrl" in (from(base).settings ?? {})));
    assert.match((from({ ...base, "platos:coreApiUrl": "core.platos.example.com" }).problems ?? []).join("\n"), /platos:coreApiUrl must be the http\(s\) base URL of Platos's core-api/);
  });

  it("names the config key and the variable of each missing setting", () => {
    assert.deepEqual(from({}).problems, [
      "platos:apiUrl is not set: run `pulumi config set platos:apiUrl <value>` or set PLATOS_API_URL",
      "platos:token is not set: run `pulumi config set --secret platos:token <value>` or set PLATOS_TOKEN",
    ]);
  });

  it("explains a bad protocol, URL or token kind without repeating the value", () => {
    const secretish = "sk-not-a-platform-token-93";
    const wrongKind = from({ "platos:apiUrl": "https://platos.example.com", "platos:token": secretish }).problems ?? [];
    assert.equal(wrongKind.length, 1);
    assert.match(wrongKind[0]!, /^platos:token is not a Platos token: real Platos takes a Platform MCP token \(plt_mcp_…\)/);
    assert.doesNotMatch(wrongKind[0]!, /"v1"/, "a token that is no Platos token at all is not sent to the V1 contract");
    const malformed = from({ "platos:protocol": "v2", "platos:apiUrl": "platos.example.com", "platos:token": secretish }).problems ?? [];
    assert.match(malformed.join("\n"), /platos:protocol must be "platform" .* or "v1"/);
    assert.match(malformed.join("\n"), /platos:apiUrl must be the http\(s\) base URL of Platos/);
    assert.ok(![...wrongKind, ...malformed].some((p) => p.includes(secretish)));
  });

  it("a token or URL with stray whitespace (a CRLF token file) is named at preview, never shown", () => {
    const crlf = "plt_mcp_from-a-crlf-file-0042";
    const problems = from({ "platos:apiUrl": "https://platos.example.com", "platos:token": `${crlf}\r`, "platos:operatorToken": " operator-token-7\r\n" }).problems ?? [];
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^platos:token contains whitespace \(.*CRLF line ends\?\): set it again without it, e\.g\. `tr -d '\\r\\n' < file \| pulumi config set --secret platos:token`/);
    assert.match(problems[1]!, /^platos:operatorToken contains whitespace/);
    assert.ok(!problems.join("\n").includes(crlf) && !problems.join("\n").includes("operator-token-7"));
    assert.match((from({ "platos:apiUrl": "https://platos.example.com\r", "platos:token": crlf }).problems ?? [])[0]!, /^platos:apiUrl contains whitespace/);
  });

  it("a V1 contract token on platform and a plt_mcp_ token on v1 are each told which protocol takes them", () => {
    const v1Token = from({ "platos:apiUrl": "https://platos.example.com", "platos:token": "plt_v1-contract-token-11" }).problems ?? [];
    assert.deepEqual(v1Token.length, 1);
    assert.match(v1Token[0]!, /^platos:token is a V1 contract token \(plt_…\), and real Platos .* takes a Platform MCP token \(plt_mcp_…\); for a server that serves the V1 contract set platos:protocol to "v1"/);
    const mcpOnV1 = from({ "platos:protocol": "v1", "platos:apiUrl": "https://platos.example.com", "platos:token": "plt_mcp_pinned-token-12" }).problems ?? [];
    assert.deepEqual(mcpOnV1.length, 1);
    assert.match(mcpOnV1[0]!, /^platos:token is a Platform MCP token \(plt_mcp_…\), which only real Platos's platform surface accepts: unset platos:protocol/);
    assert.ok(![...v1Token, ...mcpOnV1].some((p) => p.includes("token-11") || p.includes("token-12")));
  });

  it("check reports a missing credential at preview, naming the key", async () => {
    resetConfiguration();
    resetContexts();
    const config: Record<string, string> = { "platos:apiUrl": "https://platos.example.com" };
    await environmentProvider.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key]! } });
    const result = await environmentProvider.check!({}, { project: "default", slug: "dev" });
    assert.deepEqual(result.failures, [{ property: "", reason: "platos:token is not set: run `pulumi config set --secret platos:token <value>` or set PLATOS_TOKEN" }]);
    resetConfiguration();
  });
});
