/**
 * The pack's configuration: each option's schema (what `pulumi preview --policy-pack-config` is validated against)
 * and its default, in one table, so the schema's `default` and the code's fallback cannot drift apart.
 * Enforcement levels are configured per policy by the SDK (`{"<policy>": {"enforcementLevel": "advisory"}}`).
 *
 * What counts as production is the owner's: the production options below are pack config, which the stack cannot
 * change (the engine fills in the schema defaults, applies the pack's own and `--policy-pack-config` / the policy
 * group's config, validates them against the schema and sends them in Configure: pulumi/pulumi
 * pkg/resource/analyzer/config.go@070757c7 `ReconcilePolicyPackConfig`). Pack config is per policy: each policy
 * that judges production reads them from its own entry. A stack may only add (provider/rules/production.ts).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { PROD_PATTERN_SETTING, PRODUCTION_WORDS, type OwnerProductionRule } from "pulumi-platos/rules";
import { memoByKey } from "pulumi-platos/lib/support/memo.js";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

export interface PackOptions {
  /** Glob patterns (`*` = any run of characters, case-insensitive) for keys that hold credentials. */
  credentialKeyGlobs: string[];
  /** Whether the default production words apply (provider/rules/production.ts). */
  defaultProductionWords: boolean;
  /** Further production names (environment, stack or project), matched whole, without regard to case. */
  productionNames: string[];
  /** A further regular expression for production names, matched without regard to case; "" for none. */
  productionPattern: string;
  /** Whether a stack's `platos:prodEnvironmentPattern` (or PLATOS_PROD_ENVIRONMENT_PATTERN) may add production names. */
  stacksMayAddProduction: boolean;
}

export const DEFAULT_OPTIONS: Readonly<PackOptions> = Object.freeze({
  credentialKeyGlobs: ["*_KEY", "*_SECRET", "*_TOKEN", "*PASSWORD*"],
  defaultProductionWords: true,
  productionNames: [],
  productionPattern: "",
  stacksMayAddProduction: true,
});

/** The options of every policy that judges production. */
export const PRODUCTION_OPTIONS = [
  "defaultProductionWords",
  "productionNames",
  "productionPattern",
  "stacksMayAddProduction",
] as const satisfies readonly (keyof PackOptions)[];

/** The option the pack had when the pattern was one regular expression that replaced the default. */
const RETIRED_PROD_PATTERN = "prodPattern";

const optionSchemas: { [K in keyof PackOptions]: PolicyConfigJSONSchema } = {
  credentialKeyGlobs: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [...DEFAULT_OPTIONS.credentialKeyGlobs],
    description: "Glob patterns (`*` matches anything, case-insensitive) for variable keys that hold credentials.",
  },
  defaultProductionWords: {
    type: "boolean",
    default: DEFAULT_OPTIONS.defaultProductionWords,
    description: `Whether a name (environment, stack or project) holding one of the words ${PRODUCTION_WORDS.join(", ")} is production (see the pack's README).`,
  },
  productionNames: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [...DEFAULT_OPTIONS.productionNames],
    description: "Further production names (environment, stack or project), matched whole, without regard to case.",
  },
  productionPattern: {
    type: "string",
    default: DEFAULT_OPTIONS.productionPattern,
    description: "A further regular expression for production names, matched without regard to case; empty for none.",
  },
  stacksMayAddProduction: {
    type: "boolean",
    default: DEFAULT_OPTIONS.stacksMayAddProduction,
    description: `Whether a stack's ${PROD_PATTERN_SETTING.key} (or ${PROD_PATTERN_SETTING.env}) may add production names. A stack can never remove one.`,
  },
};

/** The config schema of a policy that reads the given options. */
export function configSchemaOf(...options: (keyof PackOptions)[]): PolicyConfigSchema {
  return { properties: Object.fromEntries(options.map((option) => [option, optionSchemas[option]])) };
}

/**
 * The policy's configured options over the defaults. Throws, failing the run, on a malformed value, and on the
 * retired `prodPattern` (it replaced the default words; `productionPattern` adds to them).
 */
export function readOptions(getConfig: () => Partial<PackOptions>): PackOptions {
  const configured = getConfig();
  return optionsOf(configured);
}

/** Each policy reads its config on every resource, and the SDK hands a fresh copy each time: checked once per content. */
const optionsOf = memoByKey((configured: Partial<PackOptions>) => JSON.stringify(configured), checkedOptions);

function checkedOptions(configured: Partial<PackOptions>): PackOptions {
  if (RETIRED_PROD_PATTERN in configured) {
    throw new Error(
      `policy config ${RETIRED_PROD_PATTERN} is no longer read: set productionPattern to ${JSON.stringify(String((configured as Record<string, unknown>)[RETIRED_PROD_PATTERN]))} ` +
        `in the policy config instead (it adds to the default production words; set defaultProductionWords to false to use the pattern alone) ` +
        `and remove ${RETIRED_PROD_PATTERN}.`,
    );
  }
  const options = { ...DEFAULT_OPTIONS, ...configured };
  for (const option of ["credentialKeyGlobs", "productionNames"] as const) {
    const value: unknown = options[option];
    if (!Array.isArray(value) || !value.every((g) => typeof g === "string")) {
      throw new Error(`policy config ${option} must be an array of strings, got ${JSON.stringify(value)}`);
    }
  }
  for (const option of ["defaultProductionWords", "stacksMayAddProduction"] as const) {
    if (typeof options[option] !== "boolean") throw new Error(`policy config ${option} must be true or false, got ${JSON.stringify(options[option])}`);
  }
  if (typeof options.productionPattern !== "string")
    throw new Error(`policy config productionPattern must be a string, got ${JSON.stringify(options.productionPattern)}`);
  return options;
}

/** The owner's production rule, as the policy `policy` is configured. */
export function ownerProductionRule(options: PackOptions, policy: string): OwnerProductionRule {
  return {
    defaultWords: options.defaultProductionWords,
    names: options.productionNames,
    pattern: options.productionPattern,
    stackAdditions: options.stacksMayAddProduction,
    source: `policy config of ${policy}`,
  };
}

/** True if the key matches one of the credential globs. */
export function isCredentialKey(key: string, options: PackOptions): boolean {
  return options.credentialKeyGlobs.some((glob) => globRegExp(glob).test(key));
}

/** Compiled once per glob: every variable of every resource asks. */
const globRegExp = memoByKey((glob: string) => glob, compileGlob);

function compileGlob(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}
