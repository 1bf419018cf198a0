/**
 * Prints how many Platos API calls each provider operation makes, counted at a recording proxy in front of an
 * in-process emulator. "fresh process" = a new provider process (empty read cache); "warm" = a later resource
 * of the same operation, sharing the process's cache. Run: node -r ts-node/register/transpile-only bench/api-calls.ts
 */
import { closeAllPools } from "../provider/client";
import { agentProvider } from "../provider/providers/agent";
import { environmentProvider } from "../provider/providers/environment";
import { variableProvider } from "../provider/providers/environment-variable";
import { resetContexts } from "../provider/runtime/context";
import { startEmulator } from "../test/helpers/emulator";
import { startRequestRecorder } from "../test/helpers/request-recorder";

type Props = Record<string, unknown>;

async function main(): Promise<void> {
  const emulator = await startEmulator();
  const recorder = await startRequestRecorder(emulator.url);
  const config: Record<string, string> = { "platos:apiUrl": recorder.url, "platos:token": emulator.adminToken };
  await environmentProvider.configure!({ config: { get: (k: string) => config[k], require: (k: string) => config[k]! } });
  const rows: [string, number, string][] = [];
  const measure = async <T>(label: string, fresh: boolean, op: () => Promise<T>): Promise<T> => {
    if (fresh) resetContexts();
    recorder.reset();
    const result = await op();
    rows.push([label, recorder.requests.length, recorder.requests.map((r) => r.method).join(" ")]);
    return result;
  };
  const check = async (provider: typeof variableProvider, news: Props) => (await provider.check!({}, news)).inputs as Props;

  const envInputs = await check(environmentProvider, { project: "default", slug: "bench" });
  const env = await measure("Environment create", true, () => environmentProvider.create(envInputs));
  await measure("Environment read (refresh)", true, () => environmentProvider.read!(env.id, env.outs));
  const renamed = await measure("Environment update (name)", true, () => environmentProvider.update!(env.id, env.outs!, { ...envInputs, name: "Bench" }));

  const varInputs = (i: number) => check(variableProvider, { project: "default", environment: "bench", key: `KEY_${i}`, value: `v${i}` });
  const first = await measure("EnvironmentVariable create (fresh process)", true, async () => variableProvider.create(await varInputs(0)));
  const vars = [first];
  for (let i = 1; i < 100; i++) vars.push(await variableProvider.create(await varInputs(i)));
  await measure("EnvironmentVariable create (warm)", false, async () => variableProvider.create(await varInputs(100)));
  await measure("EnvironmentVariable update", true, async () => variableProvider.update!(first.id, first.outs!, { ...(await varInputs(0)), value: "changed" }));
  await measure("refresh of 100 EnvironmentVariables", true, () => Promise.all(vars.map((v) => variableProvider.read!(v.id, v.outs))));
  await measure("EnvironmentVariable delete", true, () => variableProvider.delete!(first.id, first.outs!));

  const agentInputs = await check(agentProvider, { project: "default", environment: "bench", slug: "bot", name: "Bot", model: "anthropic:claude-haiku-4-5" });
  const agent = await measure("Agent create (fresh process)", true, () => agentProvider.create(agentInputs));
  await measure("Agent read (refresh)", true, () => agentProvider.read!(agent.id, agent.outs));
  await measure("Agent update (maxSteps)", true, () => agentProvider.update!(agent.id, agent.outs!, { ...agentInputs, maxSteps: 30 }));
  await measure("Agent delete", true, () => agentProvider.delete!(agent.id, agent.outs!));
  await measure("Environment delete", true, () => environmentProvider.delete!(env.id, renamed.outs!));

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`${"operation".padEnd(width)}  calls  methods`);
  for (const [label, calls, methods] of rows) console.log(`${label.padEnd(width)}  ${String(calls).padStart(5)}  ${methods}`);

  await closeAllPools();
  await recorder.close();
  await emulator.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
