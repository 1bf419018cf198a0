/**
 * Prints the `__provider` size of each resource class (the line it writes, resources/platos-resource.ts), then what
 * the SDK's closure serialiser writes per shim shape (how 0.1 wrote it, and the ways a package could hand it a shim).
 * Run: node -r ts-node/register/transpile-only bench/provider-size.ts [--code]
 */
import { PLATOS_TYPE_NAMES } from "../provider/registry";
import { serializedShim } from "../provider/resources/platos-resource";
import { measureProviderSizes } from "../test/harness/provider-size";

async function main(): Promise<void> {
  for (const type of PLATOS_TYPE_NAMES) {
    const code = serializedShim(type);
    console.log(`${String(Buffer.byteLength(code)).padStart(6)} B  ${type}: the line its class writes`);
    if (process.argv.includes("--code")) console.log(code);
  }
  for (const sample of await measureProviderSizes()) {
    console.log(`${String(sample.bytes).padStart(6)} B  ${sample.shape}`);
    if (process.argv.includes("--code")) console.log(sample.code + "\n");
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
