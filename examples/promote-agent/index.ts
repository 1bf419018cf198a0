import * as pulumi from "@pulumi/pulumi";
import { Agent, agentArgsFrom, getAgentOutput } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
const from = config.get("from") ?? "dev";
const to = config.get("to") ?? "prod";
const agent = config.get("agent") ?? "support";

// Real Platos keeps agent slugs unique across a project, so each environment's copy has a slug of its own; this
// follows the root stacks' naming: `support-dev` is promoted as `support-prod`.
const sourceSlug = config.get("sourceSlug") ?? `${agent}-${from}`;
const targetSlug = config.get("targetSlug") ?? `${agent}-${to}`;

// Read the agent as it is in the source environment now: prompt, tools, memory, flags and limits.
const source = getAgentOutput({ project, environment: from, slug: sourceSlug });

// Declare the same definition in the target environment. Provider keys are not copied: the agent resolves them
// against the target environment's own variables.
const promoted = new Agent(targetSlug, { ...agentArgsFrom(source), project, environment: to, slug: targetSlug });

export const sourceVersion = source.sourceVersionNumber;
export const promotedVersion = promoted.versionNumber;
