/**
 * The one rule for "this targets production", used by the provider's own PLATOS_TEST_MODE guard and by the policy
 * pack, configured in one place: the stack config `platos:prodEnvironmentPattern` (both read the stack config; else
 * the environment variable PLATOS_PROD_ENVIRONMENT_PATTERN). The rule is a regular expression, matched without
 * regard to case against the environment slug and against the stack name; either matching is production.
 *
 * By default a name is production when one of its words is a production word, words being split on `-`, `_`, `.`
 * and digits: `prod-eu`, `eu-prod`, `prd`, `prod2` and `live` are production, `product-x` and `preprod` are not.
 */
export const PRODUCTION_WORDS = ["prod", "production", "prd", "live"] as const;

const WORD_SEPARATOR = "[-_.0-9]";
export const DEFAULT_PROD_PATTERN = `(^|${WORD_SEPARATOR})(${PRODUCTION_WORDS.join("|")})(${WORD_SEPARATOR}|$)`;

/** Where the rule is configured. */
export const PROD_PATTERN_SETTING = { key: "platos:prodEnvironmentPattern", env: "PLATOS_PROD_ENVIRONMENT_PATTERN" } as const;

export interface ProductionRule {
  readonly pattern: RegExp;
  /** e.g. `the default rule`, or `platos:prodEnvironmentPattern "^live$"`. */
  readonly described: string;
}

/** Rules by configured pattern (undefined: the default), compiled once: every Check of a variable asks. */
const compiledRules = new Map<string | undefined, ProductionRule>();

/**
 * The rule as configured: `stackConfig` is how the caller reads the stack config by key. Throws, naming the setting,
 * when the configured pattern is not a regular expression.
 */
export function productionRule(stackConfig: (key: string) => string | undefined): ProductionRule {
  const { key, env } = PROD_PATTERN_SETTING;
  const configured = stackConfig(key) || process.env[env] || undefined;
  let rule = compiledRules.get(configured);
  if (!rule) {
    rule = compileRule(configured);
    compiledRules.set(configured, rule);
  }
  return rule;
}

function compileRule(configured: string | undefined): ProductionRule {
  const { key, env } = PROD_PATTERN_SETTING;
  if (configured === undefined) return { pattern: new RegExp(DEFAULT_PROD_PATTERN, "i"), described: "the default rule" };
  try {
    return { pattern: new RegExp(configured, "i"), described: `${key} ${JSON.stringify(configured)}` };
  } catch (err) {
    throw new Error(`${key} ${JSON.stringify(configured)} (read from stack config ${key}, else ${env}) is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** What the rule is asked about: the environment a resource writes into and the stack that declares it, where known. */
export interface ProductionSubject {
  readonly environment?: string;
  readonly stack?: string;
}

/** Why the subject is production (`environment "prod-eu"`, `stack "live"`), or undefined when it is not. */
export function productionReason(rule: ProductionRule, subject: ProductionSubject): string | undefined {
  if (subject.environment !== undefined && rule.pattern.test(subject.environment)) return `environment ${JSON.stringify(subject.environment)}`;
  if (subject.stack !== undefined && rule.pattern.test(subject.stack)) return `stack ${JSON.stringify(subject.stack)}`;
  return undefined;
}
