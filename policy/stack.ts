/**
 * Which stack and project a resource belongs to and which Platos environment that stack targets. The stack and
 * project names come from the resource's URN (`urn:pulumi:<stack>::<project>::<type>::<name>`); the environment from
 * the stack config `platos:environment` (the engine hands the pack the stack config as `PULUMI_CONFIG`), else the
 * stack name.
 */
import * as pulumi from "@pulumi/pulumi";
import { productionRule, type OwnerProductionRule, type ProductionRule } from "pulumi-platos/rules";

export const ENVIRONMENT_CONFIG_KEY = "platos:environment";

export interface StackIdentity {
  /** The stack's name, e.g. `prod`. */
  readonly stack: string;
  /** The Pulumi project's name, e.g. `payments-prod`. */
  readonly project: string;
  /** The Platos environment slug this stack's resources must write into. */
  readonly environment: string;
  /** Where `environment` came from, for messages. */
  readonly environmentSource: "config" | "stack name";
}

export function stackIdentity(urn: string): StackIdentity {
  const stack = stackNameOf(urn);
  const project = projectNameOf(urn);
  const configured = pulumi.runtime.getConfig(ENVIRONMENT_CONFIG_KEY);
  return configured
    ? { stack, project, environment: configured, environmentSource: "config" }
    : { stack, project, environment: stack, environmentSource: "stack name" };
}

/** What counts as production: the owner's rule (the policy's config), plus what the stack config may add. */
export function stackProductionRule(owner: OwnerProductionRule): ProductionRule {
  return productionRule((key) => pulumi.runtime.getConfig(key), owner);
}

/** The project segment of a URN; the running project (`PULUMI_NODEJS_PROJECT`) if the URN is not one. */
export function projectNameOf(urn: string): string {
  const match = /^urn:pulumi:[^:]+::([^:]+)::/.exec(urn);
  return match?.[1] ?? pulumi.getProject();
}

/** The stack segment of a URN; the running stack (`PULUMI_NODEJS_STACK`) if the URN is not one. */
export function stackNameOf(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match?.[1] ?? pulumi.getStack();
}

/** How a message names the stack's environment, e.g. `"prod" (platos:environment)`. */
export function describeStackEnvironment(identity: StackIdentity): string {
  const source = identity.environmentSource === "config" ? ENVIRONMENT_CONFIG_KEY : "the stack name";
  return `"${identity.environment}" (from ${source})`;
}
