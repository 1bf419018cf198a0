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
    assert.match(
      (from({ ...base, "platos:coreApiUrl": "core.platos.example.com" }).problems ?? []).join("\n"),
      /platos:coreApiUrl must be the http\(s\) base URL of Platos's core-api/,
    );
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
    const problems =
      from({ "platos:apiUrl": "https://platos.example.com", "platos:token": `${crlf}\r`, "platos:operatorToken": " operator-token-7\r\n" }).problems ?? [];
    assert.equal(problems.length, 2);
    assert.match(
      problems[0]!,
      /^platos:token contains whitespace \(.*CRLF line ends\?\): set it again without it, e\.g\. `tr -d '\\r\\n' < file \| pulumi config set --secret platos:token`/,
    );
    assert.match(problems[1]!, /^platos:operatorToken contains whitespace/);
    assert.ok(!problems.join("\n").includes(crlf) && !problems.join("\n").includes("operator-token-7"));
    assert.match((from({ "platos:apiUrl": "https://platos.example.com\r", "platos:token": crlf }).problems ?? [])[0]!, /^platos:apiUrl contains whitespace/);
  });

  describe("a token with a character an HTTP header cannot carry", () => {
    const token = "plt_mcp_c2VjcmV0LXRva2VuLWJvZHktOTk";
    const base = { "platos:apiUrl": "https://platos.example.com" };
    const cases: [string, string, RegExp][] = [
      ["a NUL", `${token.slice(0, 12)}\u0000${token.slice(12)}`, /contains a control character such as NUL/],
      ["a tab", `${token.slice(0, 12)}\t${token.slice(12)}`, /contains a control character such as NUL/],
      ["a DEL", `${token}\u007f`, /contains a control character such as NUL/],
      ["a zero-width space", `${token.slice(0, 12)}\u200b${token.slice(12)}`, /contains whitespace or an invisible character such as a zero-width space/],
      ["a byte order mark", `\ufeff${token}`, /contains whitespace or an invisible character such as a zero-width space/],
      ["a no-break space", `${token}\u00a0`, /contains whitespace or an invisible character such as a zero-width space/],
      ["a space inside", `${token.slice(0, 12)} ${token.slice(12)}`, /contains whitespace or an invisible character such as a zero-width space/],
      ["a Latin-1 letter", `${token}é`, /contains a character outside ASCII/],
      ["a non-Latin-1 letter", `${token}ж`, /contains a character outside ASCII/],
      ["an emoji", `${token}😀`, /contains a character outside ASCII/],
    ];
    for (const setting of ["platos:token", "platos:operatorToken"] as const) {
      for (const [what, value, kind] of cases) {
        it(`${setting} with ${what} is refused, naming the setting and the rule, never the token`, () => {
          const config = setting === "platos:token" ? { ...base, [setting]: value } : { ...base, "platos:token": token, [setting]: value };
          const problems = from(config).problems ?? [];
          assert.equal(problems.length, 1, problems.join("\n"));
          assert.match(
            problems[0]!,
            new RegExp(`^${setting} ${kind.source}, which an HTTP header cannot carry: a Platos token is visible ASCII \\(0x21–0x7E\\) only`),
          );
          assert.match(problems[0]!, new RegExp(`set it with \`pulumi config set --secret ${setting}\``));
          for (let i = 0; i + 6 <= token.length; i++) assert.ok(!problems[0]!.includes(token.slice(i, i + 6)), "no part of the token is shown");
        });
      }
    }

    it("a trailing space has its own message: remove it", () => {
      const problems = from({ ...base, "platos:token": `${token} `, "platos:operatorToken": "operator-session-token-0815  " }).problems ?? [];
      assert.deepEqual(problems, [
        "platos:token ends with a space: remove the trailing space and set it again (read from stack config platos:token, else PLATOS_TOKEN)",
        "platos:operatorToken ends with a space: remove the trailing space and set it again (read from stack config platos:operatorToken, else PLATOS_OPERATOR_TOKEN)",
      ]);
    });

    it("every visible ASCII character is taken", () => {
      const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
      assert.equal(from({ ...base, "platos:token": `plt_mcp_${visible}`, "platos:operatorToken": visible }).problems, undefined);
    });

    it("check refuses it at preview, naming the setting", async () => {
      resetConfiguration();
      resetContexts();
      const config: Record<string, string> = { ...base, "platos:token": `${token}\u200b` };
      await environmentProvider.configure!({ config: { get: (key: string) => config[key], require: (key: string) => config[key]! } });
      const result = await environmentProvider.check!({}, { project: "default", slug: "dev" });
      assert.equal(result.failures?.length, 1);
      assert.match(
        result.failures![0]!.reason,
        /^platos:token contains whitespace or an invisible character such as a zero-width space, which an HTTP header cannot carry/,
      );
      assert.ok(!JSON.stringify(result).includes(token));
      resetConfiguration();
    });
  });

  it("a V1 contract token on platform and a plt_mcp_ token on v1 are each told which protocol takes them", () => {
    const v1Token = from({ "platos:apiUrl": "https://platos.example.com", "platos:token": "plt_v1-contract-token-11" }).problems ?? [];
    assert.deepEqual(v1Token.length, 1);
    assert.match(
      v1Token[0]!,
      /^platos:token is a V1 contract token \(plt_…\), and real Platos .* takes a Platform MCP token \(plt_mcp_…\); for a server that serves the V1 contract set platos:protocol to "v1"/,
    );
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
    assert.deepEqual(result.failures, [
      { property: "", reason: "platos:token is not set: run `pulumi config set --secret platos:token <value>` or set PLATOS_TOKEN" },
    ]);
    resetConfiguration();
  });
});
