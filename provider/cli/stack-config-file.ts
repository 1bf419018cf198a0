/**
 * A stack's settings file (`Pulumi.<stack>.yaml`) as a settings source for `pulumi-platos import`, so it reads the
 * same `platos:*` keys a stack does without the Pulumi CLI. Values the CLI encrypted (`secure:`) cannot be read
 * here: one that is not also given in its environment variable fails, naming that variable (never the ciphertext).
 */
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { SETTINGS, type ConfigSource } from "../runtime/settings";

type StackFile = { config?: Record<string, unknown> } | null | undefined;

export function readStackConfigFile(file: string): ConfigSource {
  let parsed: StackFile;
  try {
    parsed = load(readFileSync(file, "utf8")) as StackFile;
  } catch (err) {
    throw new Error(`--stack-config ${file} cannot be read: ${(err as Error).message.split("\n")[0]}`);
  }
  const config = parsed?.config ?? {};
  return {
    get: (key) => {
      const value = config[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value === "object" && "secure" in value) {
        const env = Object.values(SETTINGS).find((setting) => setting.key === key)?.env;
        if (env !== undefined && process.env[env]) return undefined; // given in the environment: the reader takes it from there
        throw new Error(
          `${key} is encrypted in ${file}, which only the Pulumi CLI can decrypt: pass it as ${env ?? "its environment variable"} instead, e.g. ${env ?? "…"}="$(pulumi config get ${key})"`,
        );
      }
      return String(value);
    },
  };
}
