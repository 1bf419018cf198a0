/**
 * The pack's configuration: each option's schema (what `pulumi preview --policy-pack-config` is validated against)
 * and its default, in one table, so the schema's `default` and the code's fallback cannot drift apart.
 * Enforcement levels are configured per policy by the SDK (`{"<policy>": {"enforcementLevel": "advisory"}}`).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];
import { DEFAULT_PROD_PATTERN } from "pulumi-platos/rules";

export interface PackOptions {
  /** A regular expression; an environment slug or stack name it matches is production. */
  prodPattern: string;
  /** Glob patterns (`*` = any run of characters, case-insensitive) for keys that hold credentials. */
  credentialKeyGlobs: string[];
}

export const DEFAULT_OPTIONS: Readonly<PackOptions> = Object.freeze({
  prodPattern: DEFAULT_PROD_PATTERN,
  credentialKeyGlobs: ["*_KEY", "*_SECRET", "*_TOKEN", "*PASSWORD*"],
});

const optionSchemas: { [K in keyof PackOptions]: PolicyConfigJSONSchema } = {
  prodPattern: {
    type: "string",
    minLength: 1,
    default: DEFAULT_OPTIONS.prodPattern,
    description: "Regular expression for production: a stack name or environment slug it matches targets prod.",
  },
  credentialKeyGlobs: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [...DEFAULT_OPTIONS.credentialKeyGlobs],
    description: "Glob patterns (`*` matches anything, case-insensitive) for variable keys that hold credentials.",
  },
};

/** The config schema of a policy that reads the given options. */
export function configSchemaOf(...options: (keyof PackOptions)[]): PolicyConfigSchema {
  return { properties: Object.fromEntries(options.map((option) => [option, optionSchemas[option]])) };
}

/** The policy's configured options over the defaults. Throws, failing the run, on a malformed value. */
export function readOptions(getConfig: () => Partial<PackOptions>): PackOptions {
  const configured = getConfig();
  const options = { ...DEFAULT_OPTIONS, ...configured };
  if (typeof options.prodPattern !== "string" || options.prodPattern === "") {
    throw new Error(`policy config prodPattern must be a non-empty string, got ${JSON.stringify(options.prodPattern)}`);
  }
  if (!Array.isArray(options.credentialKeyGlobs) || !options.credentialKeyGlobs.every((g) => typeof g === "string")) {
    throw new Error(`policy config credentialKeyGlobs must be an array of strings, got ${JSON.stringify(options.credentialKeyGlobs)}`);
  }
  return options;
}

/** The production pattern as a RegExp, with a message naming the option if it does not compile. */
export function prodRegExp(options: PackOptions): RegExp {
  try {
    return new RegExp(options.prodPattern);
  } catch (err) {
    throw new Error(`policy config prodPattern ${JSON.stringify(options.prodPattern)} is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** True if the key matches one of the credential globs. */
export function isCredentialKey(key: string, options: PackOptions): boolean {
  return options.credentialKeyGlobs.some((glob) => globRegExp(glob).test(key));
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}
