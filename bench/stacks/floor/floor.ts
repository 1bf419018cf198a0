/**
 * The floor: the HTTP work each stack operation stands for, done by a bare client on a stack of its own in the
 * same emulator, each operation on new connections. Keeps the ids a state file would (and, on the platform, the
 * tokens it minted).
 */
import type { OperationName } from "../operations";
import { AGENT_MODEL, agentName, variableValue, type Scenario } from "../scenario";
import { inParallel } from "../../in-parallel";
import { FloorHttp } from "./http";
import type { FloorCalls, FloorCallsFactory, FloorTokens } from "./protocol";

export interface FloorMeasurement {
  readonly requests: number;
  /** Token mints among the requests. */
  readonly tokenRequests: number;
  readonly rateLimited: number;
  readonly ms: number;
}

interface CreatedEnvironment {
  readonly id: string;
  readonly agentIds: string[];
}

export class Floor {
  private readonly created = new Map<string, CreatedEnvironment>();

  constructor(
    private readonly scenario: Scenario,
    private readonly options: { readonly baseUrl: string; readonly concurrency: number; readonly tokens: FloorTokens; readonly calls: FloorCallsFactory },
  ) {}

  async run(operation: OperationName): Promise<FloorMeasurement> {
    const http = new FloorHttp(this.options.baseUrl, this.options.concurrency);
    const calls = this.options.calls(http, this.options.tokens);
    const started = performance.now();
    try {
      await this.work(operation, calls);
      return { requests: http.requests, tokenRequests: http.tokenRequests, rateLimited: http.rateLimited, ms: performance.now() - started };
    } finally {
      await http.close();
    }
  }

  private async work(operation: OperationName, calls: FloorCalls): Promise<void> {
    const { concurrency } = this.options;
    const environments = this.scenario.environments;
    switch (operation) {
      case "fresh up": {
        await inParallel(environments, concurrency, async (spec) => {
          this.created.set(spec.slug, { id: await calls.createEnvironment(spec.slug), agentIds: [] });
        });
        const writes = environments.flatMap((spec) => {
          const environment = this.environment(spec.slug);
          return [
            ...spec.variables.map((v) => () => calls.putVariable(environment.id, v.key, variableValue(spec.slug, v, false), v.secret)),
            ...spec.agents.map(
              (slug) => async () => void environment.agentIds.push(await calls.createAgent(environment.id, slug, agentName(slug), AGENT_MODEL)),
            ),
          ];
        });
        return inParallel(writes, concurrency, (write) => write());
      }
      case "no-change up":
      case "preview":
      case "refresh": {
        // One listing per environment and object kind: what telling drift (or its absence) takes.
        const listings = [
          () => calls.listEnvironments(),
          ...environments.flatMap((spec) => [
            () => calls.listVariables(this.environment(spec.slug).id),
            () => calls.listAgents(this.environment(spec.slug).id),
          ]),
        ];
        return inParallel(listings, concurrency, (list) => list());
      }
      case "change 10%": {
        const writes = environments.flatMap((spec) =>
          spec.variables
            .filter((v) => v.changes)
            .map((v) => () => calls.putVariable(this.environment(spec.slug).id, v.key, variableValue(spec.slug, v, true), v.secret)),
        );
        return inParallel(writes, concurrency, (write) => write());
      }
      case "destroy":
        return inParallel(environments, concurrency, (spec) => calls.destroyEnvironment(this.environment(spec.slug).id, this.environment(spec.slug).agentIds));
    }
  }

  private environment(slug: string): CreatedEnvironment {
    const environment = this.created.get(slug);
    if (!environment) throw new Error(`floor: environment ${slug} was not created`);
    return environment;
  }
}
