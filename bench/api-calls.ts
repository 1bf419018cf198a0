/**
 * Prints how many Platos API calls each provider operation makes on each protocol, counted at a recording proxy
 * in front of an in-process emulator. "fresh process" = a new provider process (empty read cache and, on the
 * platform, no whoami or minted token yet); "warm" = a later resource of the same operation, sharing the process.
 * On the platform the stack's token is pinned to another environment and the operator token is set, so the bench
 * environment's calls go through a token minted for it. A `POST /mcp/platform` call is shown by its tool, mint =
 * `POST /mcp/platform/tokens`. Run: node -r ts-node/register/transpile-only bench/api-calls.ts
 */
import { closeAllPools } from "../provider/client";
import { TOKENS_PATH } from "../provider/client/platform/core-api";
import { PLATFORM_PATH } from "../provider/client/platform/jsonrpc";
import type { Protocol } from "../provider/platos";
import { agentProvider } from "../provider/providers/agent";
import { environmentProvider } from "../provider/providers/environment";
import { variableProvider } from "../provider/providers/environment-variable";
import { providerKeyProvider } from "../provider/providers/provider-key";
import { resetContexts } from "../provider/runtime/context";
import { resetConfiguration } from "../provider/runtime/settings";
import { startEmulator } from "../test/helpers/emulator";
import { startRequestRecorder, type RecordedRequest } from "../test/helpers/request-recorder";
import { testProtocol } from "../test/helpers/test-protocols";
import { accessFor, addKeyInDashboard, configSource, PROTOCOLS, provideKeyMaterial, stackConfig } from "../test/platos/support";

type Props = Record<string, unknown>;
type Row = [label: string, calls: number, what: string];

const kindOf = ({ method, path, rpc }: RecordedRequest) =>
  path === PLATFORM_PATH ? (rpc?.tool ?? rpc?.method ?? "MCP") : path.endsWith(TOKENS_PATH) ? "mint" : method;

async function measureProtocol(protocol: Protocol): Promise<Row[]> {
  const emulator = await startEmulator();
  const recorder = await startRequestRecorder(emulator.url);
  const { settings } = await accessFor(emulator, protocol, { apiUrl: recorder.url });
  resetConfiguration();
  await environmentProvider.configure!({ config: configSource(stackConfig(settings)) });
  const rows: Row[] = [];
  const measure = async <T>(label: string, fresh: boolean, op: () => Promise<T>): Promise<T> => {
    if (fresh) resetContexts();
    recorder.reset();
    const result = await op();
    rows.push([label, recorder.requests.length, recorder.requests.map(kindOf).join(" ")]);
    return result;
  };
  const check = async (provider: typeof variableProvider, news: Props) => (await provider.check!({}, news)).inputs as Props;

  const envInputs = await check(environmentProvider, { project: "default", slug: "bench" });
  const env = await measure("Environment create", true, () => environmentProvider.create(envInputs));
  await measure("Environment read (refresh)", true, () => environmentProvider.read!(env.id, env.outs));
  const renamed =
    protocol === "v1"
      ? await measure("Environment update (name)", true, () => environmentProvider.update!(env.id, env.outs!, { ...envInputs, name: "Bench" }))
      : { outs: env.outs! };

  const varInputs = (i: number) => check(variableProvider, { project: "default", environment: "bench", key: `KEY_${i}`, value: `v${i}` });
  const first = await measure("EnvironmentVariable create (fresh process)", true, async () => variableProvider.create(await varInputs(0)));
  const vars = [first];
  for (let i = 1; i < 100; i++) vars.push(await variableProvider.create(await varInputs(i)));
  await measure("EnvironmentVariable create (warm)", false, async () => variableProvider.create(await varInputs(100)));
  await measure("EnvironmentVariable create, secret (warm)", false, async () =>
    variableProvider.create(await check(variableProvider, { project: "default", environment: "bench", key: "API_KEY", value: "sk-bench", secret: true })),
  );
  await measure("EnvironmentVariable update", true, async () => variableProvider.update!(first.id, first.outs!, { ...(await varInputs(0)), value: "changed" }));
  await measure("refresh of 100 EnvironmentVariables", true, () => Promise.all(vars.map((v) => variableProvider.read!(v.id, v.outs))));
  await measure("EnvironmentVariable delete", true, () => variableProvider.delete!(first.id, first.outs!));

  const agentInputs = await check(agentProvider, { project: "default", environment: "bench", slug: "bot", name: "Bot", model: "anthropic:claude-haiku-4-5" });
  const agent = await measure("Agent create (fresh process)", true, () => agentProvider.create(agentInputs));
  await measure("Agent read (refresh)", true, () => agentProvider.read!(agent.id, agent.outs));
  await measure("Agent update (maxSteps)", true, () => agentProvider.update!(agent.id, agent.outs!, { ...agentInputs, maxSteps: 30 }));
  await measure("Agent delete", true, () => agentProvider.delete!(agent.id, agent.outs!));

  const secondSecret = await variableProvider.create(
    await check(variableProvider, { project: "default", environment: "bench", key: "API_KEY_2", value: "sk-bench-2", secret: true }),
  );
  // Real Platos makes a provider key only in its dashboard (Providers, Add key), which a stack then adopts; the
  // rotation's credential is one added there too.
  const fromDashboard = testProtocol(protocol).keyCredential === "dashboard";
  if (fromDashboard) {
    await addKeyInDashboard(emulator, env.id, { provider: "openai", label: "primary", envVarName: "API_KEY", plaintext: "sk-bench" });
    await provideKeyMaterial(emulator, protocol, env.id, { name: "API_KEY_2", provider: "openai", value: "sk-bench-2" });
  }
  const keyInputs = await check(providerKeyProvider, {
    project: "default",
    environment: "bench",
    provider: "openai",
    label: "primary",
    variable: "API_KEY",
    adopt: fromDashboard,
  });
  const key = await measure(fromDashboard ? "ProviderKey create, adopting the dashboard's (fresh process)" : "ProviderKey create (fresh process)", true, () =>
    providerKeyProvider.create(keyInputs),
  );
  await measure("ProviderKey read (refresh)", true, () => providerKeyProvider.read!(key.id, key.outs));
  const rotated = await measure("ProviderKey rotate (another variable)", true, () =>
    providerKeyProvider.update!(key.id, key.outs!, { ...keyInputs, variable: "API_KEY_2" }),
  );
  await measure("ProviderKey delete", true, () => providerKeyProvider.delete!(key.id, rotated.outs!));
  await variableProvider.delete!(secondSecret.id, secondSecret.outs!);
  // The 100 variables made above are not deleted one by one: the environment takes them (deleteContents).
  await measure("Environment delete, with its contents", true, () => environmentProvider.delete!(env.id, { ...renamed.outs!, deleteContents: true }));

  await closeAllPools();
  await recorder.close();
  await emulator.close();
  return rows;
}

async function main(): Promise<void> {
  for (const protocol of PROTOCOLS) {
    const rows = await measureProtocol(protocol);
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\nprotocol ${protocol}\n${"operation".padEnd(width)}  calls  requests`);
    for (const [label, calls, what] of rows) console.log(`${label.padEnd(width)}  ${String(calls).padStart(5)}  ${what}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
