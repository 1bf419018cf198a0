/** Names the default production rule must call production, and names it must not: one table for the provider and the pack. */
export const PRODUCTION = ["prod", "production", "prod-eu", "eu-prod", "prd", "prod2", "live", "eu-live-2"] as const;
/** Stack names may hold what slugs may not: `_`, `.` and capitals. */
export const PRODUCTION_STACKS = [...PRODUCTION, "eu_live", "prod.eu", "Prod"] as const;
export const NOT_PRODUCTION = ["dev", "staging", "product-x", "preprod", "deliver", "livestock", "prods"] as const;
