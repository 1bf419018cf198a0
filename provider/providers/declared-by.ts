/**
 * The `declaredBy` input every resource class sets: which stack and resource a create comes from, since `create`
 * is not given the URN. The create journal keys its entries by it, so one stack's (or resource's) interrupted
 * create is never evidence for another's. It is no replace or update trigger, and never a secret.
 */
import { z } from "zod";

export const DeclaredBy = z.string().min(1).max(4096).optional();

/** The stack a `declaredBy` names (`<organization>/<project>/<stack>::…`): stack names hold no `/` or `:`. */
export function stackOf(declaredBy: unknown): string | undefined {
  if (typeof declaredBy !== "string") return undefined;
  return /^[^/]*\/[^/]*\/([^/:]+)::/.exec(declaredBy)?.[1];
}
