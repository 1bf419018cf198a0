/**
 * The Pulumi program of one benchmark stack: one environment with its variables and agents, as a user would
 * write it. One stack per environment, as the policy pack wants (environments-do-not-cross).
 */
import { Agent, Environment, EnvironmentVariable, EnvironmentVariables } from "pulumi-platos";
import { AGENT_MODEL, agentName, PROJECT, variableValue, type EnvironmentSpec, type VariableSpec } from "./scenario";

/** `changed`: the "change 10%" variables hold their new values. */
export function benchProgram(spec: EnvironmentSpec, changed: boolean): () => void {
  return () => {
    const environment = new Environment("environment", { project: PROJECT, slug: spec.slug });
    // Referencing the environment's output orders each write after it, as the root program does.
    const target = { project: PROJECT, environment: environment.slug };
    const valueOf = (variable: VariableSpec) => variableValue(spec.slug, variable, changed);
    if (spec.bulk) {
      const map = (secret: boolean) => Object.fromEntries(spec.variables.filter((v) => v.secret === secret).map((v) => [v.key, valueOf(v)]));
      new EnvironmentVariables("variables", { ...target, variables: map(false), secrets: map(true) });
    } else {
      for (const variable of spec.variables)
        new EnvironmentVariable(variable.key.toLowerCase(), { ...target, key: variable.key, value: valueOf(variable), secret: variable.secret });
    }
    for (const slug of spec.agents) new Agent(slug, { ...target, slug, name: agentName(slug), model: AGENT_MODEL });
  };
}
