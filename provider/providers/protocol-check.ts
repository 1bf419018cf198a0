/**
 * What every `check` adds to its input rules, so that preview fails before any write: a missing or malformed
 * provider setting (naming its config key), else what the configured protocol cannot honour of these inputs.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { PlatosApi } from "../platos";
import { providerContext } from "../runtime/context";
import { settingsProblems } from "../runtime/settings";
import { failure } from "./inputs";

export async function protocolFailures(limitsOf: (api: PlatosApi) => Promise<dynamic.CheckFailure[]>): Promise<dynamic.CheckFailure[]> {
  const problems = settingsProblems();
  if (problems.length > 0) return problems.map((reason) => failure("", reason));
  return limitsOf(providerContext().api);
}
