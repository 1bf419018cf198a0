/**
 * Whether a resource lands in production: by the stack's name, the Pulumi project's name, the stack's configured
 * environment, or the resource's own target environment, each judged by the production rule shared with the
 * provider (the owner's, from the policy's config, plus what the stack may add). Shared by every policy whose rule
 * is stricter on prod.
 */
import { productionReason, type ProductionRule, type ProductionVerdict } from "pulumi-platos/rules";
import { knownString, type Input, type UnknownInput } from "./read-inputs";
import type { StackIdentity } from "./stack";

export type ProdTarget =
  | { readonly kind: "prod"; readonly why: string }
  | { readonly kind: "not prod" }
  | { readonly kind: "unknown"; readonly input: UnknownInput; readonly why: string };

/** `production (stack "prod")`, with the note when the stack tried to configure what it may only add to. */
function why(verdict: ProductionVerdict, subject: string): string {
  return `production (${subject}${verdict.note ? `; ${verdict.note}` : ""})`;
}

export function prodTarget(stack: StackIdentity, target: Input, rule: ProductionRule): ProdTarget {
  const byStack = productionReason(rule, { stack: stack.stack });
  if (byStack) return { kind: "prod", why: why(byStack, `stack "${stack.stack}"`) };
  const byProject = productionReason(rule, { project: stack.project });
  if (byProject) return { kind: "prod", why: why(byProject, `project "${stack.project}"`) };
  const byStackEnvironment = productionReason(rule, { environment: stack.environment });
  if (byStackEnvironment) return { kind: "prod", why: why(byStackEnvironment, `stack environment "${stack.environment}"`) };
  if (!target.known) return { kind: "unknown", input: target, why: "a possibly production environment" };
  const slug = knownString(target);
  const byEnvironment = slug === undefined ? undefined : productionReason(rule, { environment: slug });
  if (byEnvironment) return { kind: "prod", why: why(byEnvironment, `environment "${slug}"`) };
  return { kind: "not prod" };
}
