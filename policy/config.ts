/**
 * The pack's configuration: each option's schema (what `pulumi preview --policy-pack-config` is validated against)
 * and its default, in one table, so the schema's `default` and the code's fallback cannot drift apart.
 * Enforcement levels are configured per policy by the SDK (`{"<policy>": {"enforcementLevel": "advisory"}}`).
 * What counts as production is not a pack option: it is the stack's, shared with the provider (stack.ts).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { PROD_PATTERN_SETTING } from "pulumi-platos/rules";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

export interface PackOptions {
  /** Glob patterns (`*` = any run of characters, case-insensitive) for keys that hold credentials. */
  credentialKeyGlobs: string[];
}

export const DEFAULT_OPTIONS: Readonly<PackOptions> = Object.freeze({
  credentialKeyGlobs: ["*_KEY", "*_SECRET", "*_TOKEN", "*PASSWORD*"],
});

/** The option the pack had before production became one rule with the provider's. */
const MOVED_PROD_PATTERN = "prodPattern";

const optionSchemas: { [K in keyof PackOptions]: PolicyConfigJSONSchema } = {
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

/**
 * The policy's configured options over the defaults. Throws, failing the run, on a malformed value, and on the
 * retired `prodPattern` (the pack and the provider would otherwise judge production by two rules).
 */
export function readOptions(getConfig: () => Partial<PackOptions>): PackOptions {
  const configured = getConfig();
  if (MOVED_PROD_PATTERN in configured) {
    const { key } = PROD_PATTERN_SETTING;
    throw new Error(
      `policy config ${MOVED_PROD_PATTERN} is no longer read: the pack and the provider now decide what is production by one rule, ` +
        `configured in the stack config ${key}. Run \`pulumi config set ${key} '${String((configured as Record<string, unknown>)[MOVED_PROD_PATTERN])}'\` ` +
        `for each stack that needs it (or leave it unset for the default: names whose words include prod, production, prd or live) ` +
        `and remove ${MOVED_PROD_PATTERN} from the policy config.`,
    );
  }
  const options = { ...DEFAULT_OPTIONS, ...configured };
  if (!Array.isArray(options.credentialKeyGlobs) || !options.credentialKeyGlobs.every((g) => typeof g === "string")) {
    throw new Error(`policy config credentialKeyGlobs must be an array of strings, got ${JSON.stringify(options.credentialKeyGlobs)}`);
  }
  return options;
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
