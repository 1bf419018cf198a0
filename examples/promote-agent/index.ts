import * as pulumi from "@pulumi/pulumi";
import { Agent, agentArgsFrom, getAgentOutput } from "pulumi-platos";

const config = new pulumi.Config();
const project = config.get("project") ?? "default";
const from = config.get("from") ?? "dev";
const to = config.get("to") ?? "prod";
const slug = config.get("agent") ?? "support";

// Read the agent as it is in the source environment now: prompt, tools, memory, flags and limits.
const source = getAgentOutput({ project, environment: from, slug });

// Declare the same definition in the target environment. Provider keys are not copied: the agent resolves them
// against the target environment's own variables.
const promoted = new Agent(`${slug}-${to}`, { ...agentArgsFrom(source), project, environment: to });

export const sourceVersion = source.sourceVersionNumber;
export const promotedVersion = promoted.versionNumber;
