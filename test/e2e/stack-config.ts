/** A stack's config as `pulumi` would hand it to the program: project defaults from Pulumi.yaml, then Pulumi.<stack>.yaml. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

type ConfigBlock = Record<string, unknown>;

function configOf(file: string): ConfigBlock {
  const parsed = (load(readFileSync(file, "utf8")) ?? {}) as { config?: ConfigBlock };
  return parsed.config ?? {};
}

/** Values as the language host receives them: strings, with objects and lists as JSON. */
export function readStackConfig(programDir: string, stack: string): Record<string, string> {
  const projectDefaults = Object.fromEntries(
    Object.entries(configOf(join(programDir, "Pulumi.yaml"))).map(([key, spec]) => [key, (spec as { value?: unknown }).value]),
  );
  const merged = { ...projectDefaults, ...configOf(join(programDir, `Pulumi.${stack}.yaml`)) };
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}
