/**
 * Prints the serialized `__provider` size per shim shape.
 * Run: node -r ts-node/register/transpile-only bench/provider-size.ts [--code]
 */
import { measureProviderSizes } from "../test/harness/provider-size";

async function main(): Promise<void> {
  for (const sample of await measureProviderSizes()) {
    console.log(`${String(sample.bytes).padStart(6)} B  ${sample.shape}`);
    if (process.argv.includes("--code")) console.log(sample.code + "\n");
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
