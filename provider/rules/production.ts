/**
 * The one rule for "this targets production", used by the policy pack and by the provider's own PLATOS_TEST_MODE
 * guard. It is asked about three names: the environment slug a resource writes into, the stack and the Pulumi
 * project that declare it; any one of them being production is enough.
 *
 * Who may say what (the precedence, highest first):
 * 1. The owner: the policy pack's config (`OwnerProductionRule`, read from `--policy-pack-config` / the policy
 *    group by policy/config.ts). Only the owner can drop the default words, add names and patterns, or forbid
 *    stacks to add. The provider cannot see the pack's config: its guard uses `PROVIDER_OWNER_RULE` (the default
 *    words, stacks may add), so no stack setting can weaken it.
 * 2. The stack: the stack config `platos:prodEnvironmentPattern` and the environment variable
 *    `PLATOS_PROD_ENVIRONMENT_PATTERN` may only ADD production names (a union with the owner's rule). A pattern
 *    that matches nothing (`^$`) removes nothing; messages then say so.
 *
 * The default words are `prod`, `production`, `prd` and `live`. A name is lower-cased and split into parts on
 * anything but letters and digits (`eu-prod.2` has the parts `eu`, `prod`, `2`). A part is production when it is a
 * production word, optionally followed by a qualifier (`prod2`, `prodv2`, `prodeu`, `live-eu`, `liveus1`); `prod`
 * and `prd` also count at the end of a longer part (`myappprod`, `paymentsprd2`). `live` does not (`olive`,
 * `alive`), and a word followed by anything else is another word (`product`, `prodigy`, `liver`, `delivery`).
 * `pre` or `non` directly before the word says the opposite (`preprod`, `nonprod`, `pre-prod`, `non_prod`).
 * Platos itself treats the slugs `prod` and `production` as production (it refuses to delete them:
 * apps/agent/src/admin/environment.service.ts@25c50f75 `deleteEnvironment`), and both are production here.
 */
import { memoByKey } from "../support/memo";

export const PRODUCTION_WORDS = ["prod", "production", "prd", "live"] as const;

/** Production words that still mean production at the end of a longer word: no common word ends in them. */
const SUFFIX_WORDS: readonly string[] = ["prod", "prd"];

/** Words that, right before a production word, mean "not production". */
const NEGATIONS: readonly string[] = ["pre", "non"];

/** Region words a production word may carry without a separator (`prodeu`, `liveus`). */
const REGIONS = [
  "eu",
  "us",
  "uk",
  "ap",
  "apac",
  "emea",
  "amer",
  "latam",
  "au",
  "ca",
  "de",
  "fr",
  "jp",
  "br",
  "sg",
  "kr",
  "cn",
  "za",
  "east",
  "west",
  "north",
  "south",
  "central",
  "global",
];

/** What may follow a production word inside one part: a number, a version, a region (with a number). */
const QUALIFIER = `(?:\\d+|v\\d+|(?:${REGIONS.join("|")})\\d*)`;

/** One part: what comes before the word, the word, then at most a qualifier. Longest words first. */
const PART = new RegExp(`^([a-z0-9]*?)(production|prod|prd|live)${QUALIFIER}?$`);

/** True when the default words name `name` production. */
export function hasProductionWord(name: string): boolean {
  const parts = name.toLowerCase().split(/[^a-z0-9]+/);
  return parts.some((part, i) => isProductionPart(part, parts[i - 1]));
}

function isProductionPart(part: string, previous: string | undefined): boolean {
  const match = PART.exec(part);
  if (!match) return false;
  const [, before = "", word = ""] = match;
  if (before !== "" && !SUFFIX_WORDS.includes(word)) return false;
  if (NEGATIONS.some((negation) => before.endsWith(negation))) return false;
  return !(before === "" && previous !== undefined && NEGATIONS.includes(previous));
}

/** Where a stack may add production names. */
export const PROD_PATTERN_SETTING = { key: "platos:prodEnvironmentPattern", env: "PLATOS_PROD_ENVIRONMENT_PATTERN" } as const;

/** The owner's rule: the policy pack's config. */
export interface OwnerProductionRule {
  /** Whether the default words apply. */
  readonly defaultWords: boolean;
  /** Further production names, matched whole, without regard to case. */
  readonly names: readonly string[];
  /** A further regular expression, matched without regard to case; empty or undefined for none. */
  readonly pattern?: string;
  /** Whether the stack config / environment variable may add production names. */
  readonly stackAdditions: boolean;
  /** Where it came from, for messages, e.g. `policy config of no-test-mode-in-prod`. */
  readonly source: string;
}

/** What the provider's guard uses: it cannot see the pack's config, and stacks may only add. */
export const PROVIDER_OWNER_RULE: OwnerProductionRule = Object.freeze({ defaultWords: true, names: [], stackAdditions: true, source: "the provider" });

interface Clause {
  /** e.g. `the default rule`, `platos:prodEnvironmentPattern "^main$" (stack config)`. */
  readonly described: string;
  readonly matches: (name: string) => boolean;
}

export interface ProductionRule {
  readonly clauses: readonly Clause[];
  /** Said with every verdict when a stack setting was read but cannot remove what the owner's rule names. */
  readonly stackNote?: string;
}

function compile(pattern: string, where: string): RegExp {
  try {
    return new RegExp(pattern, "i");
  } catch (err) {
    throw new Error(`${where} ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * The rule: the owner's clauses, then what the stack adds (if the owner lets it). `stackConfig` reads the stack
 * config by key. Throws, naming the setting, when a configured pattern is not a regular expression.
 */
export function productionRule(stackConfig: (key: string) => string | undefined, owner: OwnerProductionRule = PROVIDER_OWNER_RULE): ProductionRule {
  return ruleOf(owner, stackAdditionsOf(stackConfig));
}

/** Every policy asks for its rule on every resource, with the same few configurations: each is built once. */
const ruleOf = memoByKey((owner: OwnerProductionRule, additions: readonly StackAddition[]) => JSON.stringify([owner, additions]), buildRule);

function buildRule(owner: OwnerProductionRule, stackSettings: readonly StackAddition[]): ProductionRule {
  const clauses: Clause[] = [];
  if (owner.defaultWords) clauses.push({ described: "the default rule", matches: hasProductionWord });
  if (owner.names.length > 0) {
    const names = new Set(owner.names.map((n) => n.toLowerCase()));
    clauses.push({ described: `productionNames of the ${owner.source}`, matches: (name) => names.has(name.toLowerCase()) });
  }
  if (owner.pattern) {
    const regexp = compile(owner.pattern, `productionPattern of the ${owner.source}`);
    clauses.push({ described: `productionPattern ${JSON.stringify(owner.pattern)} of the ${owner.source}`, matches: (name) => regexp.test(name) });
  }
  if (stackSettings.length === 0) return { clauses };
  const said = stackSettings.map((s) => s.described).join(" and ");
  if (!owner.stackAdditions) {
    return { clauses, stackNote: `${said} is ignored: the ${owner.source} does not let stacks add production names` };
  }
  for (const { described, pattern, setting } of stackSettings) {
    const regexp = compile(pattern, setting);
    clauses.push({ described, matches: (name) => regexp.test(name) });
  }
  return { clauses, stackNote: `${said} only adds production names; it cannot remove one` };
}

interface StackAddition {
  readonly described: string;
  readonly pattern: string;
  readonly setting: string;
}

/** The stack's additions: the stack config, then the environment variable (both are read: a union). */
function stackAdditionsOf(stackConfig: (key: string) => string | undefined): StackAddition[] {
  const { key, env } = PROD_PATTERN_SETTING;
  const additions: StackAddition[] = [];
  const fromConfig = stackConfig(key);
  if (fromConfig) additions.push({ described: `${key} ${JSON.stringify(fromConfig)} (stack config)`, pattern: fromConfig, setting: `stack config ${key}` });
  const fromEnv = process.env[env];
  if (fromEnv)
    additions.push({ described: `${env} ${JSON.stringify(fromEnv)} (environment variable)`, pattern: fromEnv, setting: `environment variable ${env}` });
  return additions;
}

/** What the rule is asked about: the environment a resource writes into, and the stack and project declaring it. */
export interface ProductionSubject {
  readonly environment?: string;
  readonly stack?: string;
  readonly project?: string;
}

export interface ProductionVerdict {
  /** e.g. `environment "prod-eu"`, `stack "live"`, `project "payments-prod"`. */
  readonly subject: string;
  /** The clause that named it, e.g. `the default rule`. */
  readonly by: string;
  /** When the stack tried to configure production: what became of it. */
  readonly note?: string;
}

/** Why the subject is production, or undefined when it is not. */
export function productionReason(rule: ProductionRule, subject: ProductionSubject): ProductionVerdict | undefined {
  for (const what of ["environment", "stack", "project"] as const) {
    const name = subject[what];
    if (name === undefined) continue;
    const verdict = verdictsOf(rule)(what, name);
    if (verdict) return verdict;
  }
  return undefined;
}

/** A rule's verdicts, by name: a preview asks about the same stack, project and environments for every resource. */
const verdicts = new WeakMap<ProductionRule, (what: keyof ProductionSubject, name: string) => ProductionVerdict | undefined>();

function verdictsOf(rule: ProductionRule): (what: keyof ProductionSubject, name: string) => ProductionVerdict | undefined {
  let judge = verdicts.get(rule);
  if (!judge) {
    judge = memoByKey(
      (what, name) => `${what}:${name}`,
      (what, name) => {
        const clause = rule.clauses.find((c) => c.matches(name));
        return clause && { subject: `${what} ${JSON.stringify(name)}`, by: clause.described, ...(rule.stackNote ? { note: rule.stackNote } : {}) };
      },
      256,
    );
    verdicts.set(rule, judge);
  }
  return judge;
}

/** `environment "prod", by the default rule; <note>`: for messages. */
export function describeVerdict(verdict: ProductionVerdict): string {
  return `${verdict.subject}, by ${verdict.by}${verdict.note ? `; ${verdict.note}` : ""}`;
}
