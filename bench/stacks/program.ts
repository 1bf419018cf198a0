/**
 * The Pulumi program of one benchmark stack: one environment with its variables and agents, as a user would
 * write it. One stack per environment, as the policy pack wants (environments-do-not-cross).
 */
import { Agent, Environment, EnvironmentVariable } from "pulumi-platos";
import { AGENT_MODEL, agentName, PROJECT, variableValue, type EnvironmentSpec } from "./scenario";

/** `changed`: the "change 10%" variables hold their new values. */
export function benchProgram(spec: EnvironmentSpec, changed: boolean): () => void {
  return () => {
    const environment = new Environment("environment", { project: PROJECT, slug: spec.slug });
    // Referencing the environment's output orders each write after it, as the root program does.
    const target = { project: PROJECT, environment: environment.slug };
    for (const variable of spec.variables) {
      const value = variableValue(spec.slug, variable, changed);
      new EnvironmentVariable(variable.key.toLowerCase(), { ...target, key: variable.key, value, secret: variable.secret });
    }
    for (const slug of spec.agents) new Agent(slug, { ...target, slug, name: agentName(slug), model: AGENT_MODEL });
  };
}
