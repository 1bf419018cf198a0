/**
 * A variable's value is at most 8192 characters as Platos counts them: JavaScript's `length`, UTF-16 code units
 * (tenancy-database's environment-variables.ts). `check` counts the same way, so a value the server would refuse
 * mid-`up` (8192 emoji are 16384 units) fails at preview instead, on both resources and both protocols.
 */
import { strict as assert } from "node:assert";
import { VARIABLE_VALUE_MAX } from "../../provider/client/schemas";
import { createPlatosApi, PROTOCOLS } from "../../provider/platos";
import { variableProvider } from "../../provider/providers/environment-variable";
import { variableSetProvider } from "../../provider/providers/environment-variables";
import { resetConfiguration } from "../../provider/runtime/settings";
import { platosWorld } from "../helpers/platos-world";
import { configSource, stackConfig } from "../platos/support";

const EMOJI = "\u{1F600}";
const fits = EMOJI.repeat(VARIABLE_VALUE_MAX / 2);
const tooLong = EMOJI.repeat(VARIABLE_VALUE_MAX);

describe("variable value length, counted as Platos counts it", function () {
  this.timeout(60_000);
  const world = platosWorld();

  for (const protocol of PROTOCOLS) {
    describe(`on ${protocol}`, () => {
      const home = `length-${protocol}`;
      let environmentId: string;
      let config: Record<string, string>;

      before(async () => {
        const access = await world.accessOn(protocol, { home });
        config = stackConfig(access.settings);
        const { admin } = world;
        environmentId = ((await admin.environments.findBySlug("default", home)) ?? (await admin.environments.create("default", { slug: home }))).id;
      });

      async function failuresOf(provider: typeof variableProvider, news: Record<string, unknown>): Promise<string[]> {
        resetConfiguration();
        await provider.configure!({ config: configSource(config) });
        return ((await provider.check!({}, news)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
      }

      it(`check refuses ${VARIABLE_VALUE_MAX} emoji on both variable resources, naming the field and the rule`, async () => {
        const [single] = await failuresOf(variableProvider, { project: "default", environment: home, key: "EMOJI", value: tooLong, secret: true });
        assert.match(single!, /^value: value must be at most 8192 characters as Platos counts them \(UTF-16 code units: an emoji counts as 2\)$/);
        const [inSet] = await failuresOf(variableSetProvider, { project: "default", environment: home, secrets: { EMOJI: tooLong } });
        assert.match(inSet!, /^secrets\.EMOJI: .*must be at most 8192 characters as Platos counts them/);
        assert.ok(!single!.includes(EMOJI) && !inSet!.includes(EMOJI), "the value is never in a message");
      });

      it(`the server agrees: it takes ${VARIABLE_VALUE_MAX / 2} emoji, which check passes, and refuses ${VARIABLE_VALUE_MAX}`, async () => {
        assert.deepEqual(await failuresOf(variableProvider, { project: "default", environment: home, key: "EMOJI", value: fits, secret: true }), []);
        const api = createPlatosApi((await world.accessOn(protocol, { home })).settings);
        await api.variables.put(environmentId, "EMOJI", { value: fits, secret: true });
        await assert.rejects(api.variables.put(environmentId, "EMOJI", { value: tooLong, secret: true }));
      });
    });
  }
});
