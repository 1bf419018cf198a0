/**
 * Whether a resource lands in production: by the stack's name, the stack's configured environment, or the
 * resource's own target environment. Shared by every policy whose rule is stricter on prod.
 */
import { isProdSlug } from "pulumi-platos/rules";
import { knownString, type Input, type UnknownInput } from "./read-inputs";
import type { StackIdentity } from "./stack";

export type ProdTarget =
  | { readonly kind: "prod"; readonly why: string }
  | { readonly kind: "not prod" }
  | { readonly kind: "unknown"; readonly input: UnknownInput; readonly why: string };

export function prodTarget(stack: StackIdentity, target: Input, pattern: RegExp): ProdTarget {
  if (isProdSlug(stack.stack, pattern)) return { kind: "prod", why: `production (stack "${stack.stack}")` };
  if (isProdSlug(stack.environment, pattern)) {
    return { kind: "prod", why: `production (stack environment "${stack.environment}")` };
  }
  if (!target.known) return { kind: "unknown", input: target, why: "a possibly production environment" };
  const slug = knownString(target);
  if (slug !== undefined && isProdSlug(slug, pattern)) return { kind: "prod", why: `production (environment "${slug}")` };
  return { kind: "not prod" };
}
