/**
 * What `pulumi-platos import` reads from Platos is checked against the rules the resources' inputs use before any
 * of it is written into a program: the platform read path accepts any slug, so a server (or whoever wrote the
 * object) can hand back strings no resource would take. The rules are the wire schemas the inputs derive from.
 */
import type { z } from "zod";
import { definitionOf } from "../functions/agent-definition";
import { CreateAgentRequest, CreateEnvironmentRequest, CreateProviderKeyRequest, PutVariableRequest, VariableKey } from "../client/schemas";
import { uncarriedKeys } from "./carried-keys";
import { codeLiteral } from "./code-literal";
import type { EnvironmentSnapshot } from "./snapshot";

/** One object and the rule (schema) its declaration must pass. */
interface Declaration {
  /** How the error names the object, e.g. `agent "triage" (id a1)`. */
  readonly what: string;
  readonly schema: z.ZodType;
  readonly fields: unknown;
}

const agentLabel = (agent: EnvironmentSnapshot["agents"][number]) => `agent ${codeLiteral(agent.slug)} (id ${codeLiteral(agent.id)})`;

function declarationsOf(snapshot: EnvironmentSnapshot): Declaration[] {
  const { environment } = snapshot;
  return [
    { what: `environment ${codeLiteral(environment.slug)}`, schema: CreateEnvironmentRequest, fields: { slug: environment.slug, name: environment.name } },
    ...snapshot.variables.flatMap((variable) => {
      const what = `variable ${codeLiteral(variable.key)}`;
      const key = { what, schema: VariableKey, fields: variable.key };
      // A SECRET's value is never read; the program takes it from stack config.
      return variable.kind === "SECRET" ? [key] : [key, { what, schema: PutVariableRequest, fields: { value: variable.value } }];
    }),
    ...snapshot.providerKeys.map((key) => ({
      what: `provider key ${codeLiteral(key.label)} (id ${codeLiteral(key.id)})`,
      schema: CreateProviderKeyRequest,
      fields: { provider: key.provider, label: key.label, envVarName: key.envVarName, isDefault: key.isDefault },
    })),
    ...snapshot.agents.map((agent) => ({ what: agentLabel(agent), schema: CreateAgentRequest, fields: definitionOf(agent) })),
  ];
}

function problemsOf({ what, schema, fields }: Declaration): string[] {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${what}: ${issue.path.length > 0 ? issue.path.map(String).join(".") : "key"} ${issue.message}`);
}

/** Keys in an agent's maps (featureFlags, outputSchema, memoryConfig...) that a program cannot carry (carried-keys.ts). */
function keyProblemsOf(snapshot: EnvironmentSnapshot): string[] {
  return snapshot.agents.flatMap((agent) =>
    Object.entries(definitionOf(agent)).flatMap(([field, value]) =>
      uncarriedKeys(value, field).map(
        ({ path, key, reason }) =>
          `${agentLabel(agent)}: ${path} has the key ${codeLiteral(key)}, which a Pulumi program cannot carry (${reason}); rename or remove it`,
      ),
    ),
  );
}

/** Throws, naming each object and the rule it breaks, if any object of the snapshot cannot be declared as read. */
export function requireDeclarable(snapshot: EnvironmentSnapshot): void {
  const problems = [...declarationsOf(snapshot).flatMap(problemsOf), ...keyProblemsOf(snapshot)];
  if (problems.length === 0) return;
  throw new Error(
    `Platos returned objects that Pulumi resources cannot take, so no program was written:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
      "Fix or remove them in Platos (the dashboard, or its API) and run the import again.",
  );
}
