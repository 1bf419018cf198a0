/**
 * Names the default production rule must call production, and names it must not: one table for the provider and
 * the pack (provider/rules/production.ts documents the rule). Environment slugs are what Platos accepts: trimmed,
 * lower-cased, `^[a-z0-9][a-z0-9-]{0,30}$` (apps/agent/src/admin/environment.service.ts@25c50f75 SLUG_RE).
 */
export const PRODUCTION = [
  // Platos's own production slugs (environment.service.ts@25c50f75 refuses to delete them).
  "prod",
  "production",
  // A production word between separators, first, last or inside.
  "prod-eu",
  "eu-prod",
  "eu-prod-2",
  "prd",
  "live",
  "live-eu",
  "eu-live-2",
  "payments-prod",
  // A production word with a number, a version or a region attached.
  "prod2",
  "prodv2",
  "prodeu",
  "liveus1",
  // prod and prd at the end of a longer word.
  "myappprod",
  "paymentsprd2",
] as const;
/** Stack and project names may hold what slugs may not: `_`, `.` and capitals. */
export const PRODUCTION_STACKS = [...PRODUCTION, "eu_live", "prod.eu", "Prod", "myAppProd"] as const;
export const NOT_PRODUCTION = [
  "dev",
  "staging",
  "main",
  // Longer words that merely contain a production word.
  "product",
  "product-x",
  "prodigy",
  "prods",
  "reproduce",
  "reproduction",
  "olive",
  "alive",
  "liver",
  "deliver",
  "delivery",
  "livestock",
  // pre- and non- say the opposite.
  "preprod",
  "pre-prod",
  "nonprod",
  "non-prod",
] as const;
