/** The root Pulumi program: one stack per Platos environment (Pulumi.dev.yaml, Pulumi.staging.yaml, Pulumi.prod.yaml). */
import { readStackConfig } from "./program/config";
import { platosStack } from "./program/stack";

const outputs = platosStack(readStackConfig());

export const environmentId = outputs.environmentId;
export const dashboardUrl = outputs.dashboardUrl;
export const variableKeys = outputs.variableKeys;
export const agents = outputs.agents;
