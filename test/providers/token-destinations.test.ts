/**
 * Where the tokens go (#26): said once per provider process when the provider first builds the clients that send
 * them. A notice when platos:operatorToken goes to core-api on another origin than platos:apiUrl, or to a URL read
 * from PLATOS_CORE_API_URL rather than the stack config; a warning for plain http:// to anything but loopback; and
 * nothing at all for the loopback emulator setups (one port, or core-api on a port of its own).
 */
import { strict as assert } from "node:assert";
import { providerContext, resetContexts } from "../../provider/runtime/context";
import { configureProviders, newProviderProcess } from "../helpers/provider-process";
import { stderrDuring } from "../helpers/stderr-lines";

const MCP_TOKEN = "plt_mcp_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE";
const OPERATOR_TOKEN = "opaque-operator-session-5f1c2a9e77";
const platform = (more: Record<string, string>) => ({
  "platos:protocol": "platform",
  "platos:token": MCP_TOKEN,
  "platos:operatorToken": OPERATOR_TOKEN,
  ...more,
});

/** What a fresh provider process prints when its first resource step builds its clients (twice: said once). */
async function linesFor(config: Record<string, string>, env: Record<string, string> = {}): Promise<string[]> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    newProviderProcess();
    await configureProviders(config);
    const { lines } = await stderrDuring(async () => {
      providerContext();
      resetContexts(); // another set of clients in the same process: the notices are not said again
      providerContext();
    });
    for (const line of lines) for (const token of [MCP_TOKEN, OPERATOR_TOKEN]) assert.ok(!line.includes(token), line);
    return lines;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("where the tokens go", () => {
  it("says nothing for the loopback emulator setups", async () => {
    assert.deepEqual(await linesFor({ "platos:protocol": "v1", "platos:apiUrl": "http://127.0.0.1:4100", "platos:token": "plt_v1tokenAAAAAAAAAAAAAAAA" }), []);
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "http://127.0.0.1:4100" })), []);
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "http://127.0.0.1:4100", "platos:coreApiUrl": "http://127.0.0.1:4100/core" })), []);
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "http://localhost:4100", "platos:coreApiUrl": "http://[::1]:4200" })), []);
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "https://platos.example.com" })), []);
  });

  it("names core-api's origin when the operator token goes to another origin than platos:apiUrl", async () => {
    const lines = await linesFor(platform({ "platos:apiUrl": "https://platos.example.com", "platos:coreApiUrl": "https://core.platos.example.com/api" }));
    assert.deepEqual(lines, [
      "Platos: platos:operatorToken goes to core-api at https://core.platos.example.com (platos:coreApiUrl), another origin than platos:apiUrl's https://platos.example.com",
    ]);
  });

  it("says when core-api's URL came from PLATOS_CORE_API_URL rather than the stack config", async () => {
    const lines = await linesFor(platform({ "platos:apiUrl": "https://platos.example.com" }), { PLATOS_CORE_API_URL: "https://stale.example.net" });
    assert.deepEqual(lines, [
      "Platos: platos:operatorToken goes to core-api at https://stale.example.net, a URL read from the environment variable PLATOS_CORE_API_URL, not from the stack config (platos:coreApiUrl is not set)",
    ]);
  });

  it("warns of plain http:// to a host that is not loopback, for either URL", async () => {
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "http://platos.internal:3100" })), [
      "Platos warning: platos:apiUrl is plain http:// to platos.internal:3100, not loopback: platos:token and platos:operatorToken cross the network unencrypted and readable; use https://",
    ]);
    assert.deepEqual(await linesFor(platform({ "platos:apiUrl": "https://platos.example.com", "platos:coreApiUrl": "http://10.0.0.7:8080" })), [
      "Platos: platos:operatorToken goes to core-api at http://10.0.0.7:8080 (platos:coreApiUrl), another origin than platos:apiUrl's https://platos.example.com",
      "Platos warning: platos:coreApiUrl is plain http:// to 10.0.0.7:8080, not loopback: platos:operatorToken crosses the network unencrypted and readable; use https://",
    ]);
    assert.deepEqual(await linesFor({ "platos:protocol": "v1", "platos:apiUrl": "http://128.0.0.1", "platos:token": "plt_v1tokenAAAAAAAAAAAAAAAA" }), [
      "Platos warning: platos:apiUrl is plain http:// to 128.0.0.1, not loopback: platos:token crosses the network unencrypted and readable; use https://",
    ]);
  });
});
