/**
 * Whether a resource lands in production: by the stack's name, the stack's configured environment, or the
 * resource's own target environment, each judged by the production rule shared with the provider. Shared by every
 * policy whose rule is stricter on prod.
 */
import { productionReason, type ProductionRule } from "pulumi-platos/rules";
import { knownString, type Input, type UnknownInput } from "./read-inputs";
import { stackProductionRule, type StackIdentity } from "./stack";

export type ProdTarget =
  | { readonly kind: "prod"; readonly why: string }
  | { readonly kind: "not prod" }
  | { readonly kind: "unknown"; readonly input: UnknownInput; readonly why: string };

export function prodTarget(stack: StackIdentity, target: Input, rule: ProductionRule = stackProductionRule()): ProdTarget {
  if (productionReason(rule, { stack: stack.stack })) return { kind: "prod", why: `production (stack "${stack.stack}")` };
  if (productionReason(rule, { environment: stack.environment })) {
    return { kind: "prod", why: `production (stack environment "${stack.environment}")` };
  }
  if (!target.known) return { kind: "unknown", input: target, why: "a possibly production environment" };
  const slug = knownString(target);
  if (slug !== undefined && productionReason(rule, { environment: slug })) return { kind: "prod", why: `production (environment "${slug}")` };
  return { kind: "not prod" };
}
