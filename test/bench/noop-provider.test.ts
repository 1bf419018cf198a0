/**
 * bench/stacks/noop: the host's floor runs the benchmark's resources on a provider that does nothing, through the
 * real dynamic-provider host, with every call's `__provider` swapped for it.
 */
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import { noopProviderCode } from "../../bench/stacks/noop/noop-provider";
import { swapProvider } from "../../bench/stacks/noop/provider-swap";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { PROVIDER_KEY, type PropertyMap } from "../harness/wire";

const root = resolve(__dirname, "../..");
const URN = "urn:pulumi:dev::bench::pulumi-nodejs:dynamic/platos:EnvironmentVariable::v";

describe("the benchmark's no-op provider", function () {
  this.timeout(60_000);
  let host: ProviderHost;
  let code: string;
  const inputs = (value: string): PropertyMap => ({ project: "default", environment: "dev", key: "K", value, [PROVIDER_KEY]: "the real provider's code" });

  before(async () => {
    code = await noopProviderCode();
    host = swapProvider(await startProviderHost({ cwd: root }), code);
    await host.configure({});
  });
  after(() => host?.close());

  it("checks nothing, finds no change, and hands back what it is given", async () => {
    const checked = await host.check(URN, {}, inputs("a"));
    assert.deepEqual(checked, { inputs: { ...inputs("a"), [PROVIDER_KEY]: code }, failures: [] });
    const diff = await host.diff("id", URN, inputs("a"), inputs("b"), inputs("a"));
    assert.equal(diff.changes, "none");
    assert.deepEqual(diff.replaces, []);
    const created = await host.create(URN, inputs("a"));
    assert.match(created.id, /^noop-/);
    assert.equal(created.properties.value, "a");
    const read = await host.read(created.id, URN, inputs("a"), inputs("a"));
    assert.equal(read.id, created.id);
    assert.equal((await host.update(created.id, URN, inputs("a"), inputs("b"))).properties.value, "b");
    await host.delete(created.id, URN, inputs("b"));
  });

  it("swaps only the __provider input, and only where there is one", async () => {
    const seen: PropertyMap[] = [];
    const recording = {
      check: async (_urn: string, olds: PropertyMap, news: PropertyMap) => (seen.push(olds, news), { inputs: news, failures: [] }),
    } as unknown as ProviderHost;
    await swapProvider(recording, "noop").check(URN, {}, inputs("a"));
    assert.deepEqual(seen, [{}, { ...inputs("a"), [PROVIDER_KEY]: "noop" }]);
  });
});
