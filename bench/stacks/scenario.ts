/**
 * What the benchmark declares, for the stack's program and for the floor alike: environments, each with its
 * variables (a quarter secret) and agents, and which variables the "change 10%" step gives a new value.
 */
export const PROJECT = "default";
export const AGENT_MODEL = "anthropic:claude-haiku-4-5";

export interface ScenarioSize {
  readonly environments: number;
  readonly variables: number;
  readonly agents: number;
  /** Variables through one EnvironmentVariables resource per environment. */
  readonly bulk: boolean;
}

export interface VariableSpec {
  readonly key: string;
  readonly secret: boolean;
  /** Whether the "change 10%" step gives it a new value. */
  readonly changes: boolean;
}

export interface EnvironmentSpec {
  readonly slug: string;
  readonly variables: readonly VariableSpec[];
  /** Whether the variables are declared through one EnvironmentVariables resource. */
  readonly bulk: boolean;
  /** Agent slugs; Platos keeps them unique across a project, so they carry the environment's slug. */
  readonly agents: readonly string[];
}

export interface Scenario {
  readonly environments: readonly EnvironmentSpec[];
  /** Resources the stack holds: each environment, its variables and its agents. */
  readonly resourceCount: number;
  readonly changedVariableCount: number;
}

/**
 * `prefix` keeps stacks apart within one emulator (the stack and the floor of each run); slugs stay within the
 * platform's 31 characters.
 */
export function scenarioOf(size: ScenarioSize, prefix: string): Scenario {
  const environments = Array.from({ length: size.environments }, (_, e): EnvironmentSpec => {
    const slug = `${prefix}-env-${e}`;
    return {
      slug,
      variables: Array.from({ length: size.variables }, (_, i) => ({ key: `BENCH_VAR_${i}`, secret: i % 4 === 0, changes: i % 10 === 0 })),
      bulk: size.bulk,
      agents: Array.from({ length: size.agents }, (_, a) => `${slug}-agent-${a}`),
    };
  });
  const perEnvironment = 1 + (size.bulk ? 1 : size.variables) + size.agents;
  const changedPerEnvironment = environments[0]?.variables.filter((v) => v.changes).length ?? 0;
  return { environments, resourceCount: size.environments * perEnvironment, changedVariableCount: size.environments * changedPerEnvironment };
}

/** A variable's value, 64 characters or so; `changed` is the value after the "change 10%" step. */
export function variableValue(environment: string, variable: VariableSpec, changed: boolean): string {
  const round = changed && variable.changes ? "changed" : "initial";
  return `${round}-${environment}-${variable.key}-${"x".repeat(32)}`;
}

export const agentName = (slug: string): string => `Bench agent ${slug}`;
