import * as pulumi from "@pulumi/pulumi";
import type { AgentInputs, AgentOutputs } from "../providers/agent";
import { typeTokens } from "../registry";
import type { ArgsOf, UnsetOutputs } from "./args";
import { PlatosResource } from "./platos-resource";
import type { AgentInputShape, JsonObject, MetaToolName, PromptBlock } from "./public-shapes";

export type AgentArgs = ArgsOf<AgentInputShape>;

/**
 * A Platos agent, keyed on environment + slug. Behaviour fields (model, prompts, tools, memory, flags, limits) are
 * versioned on the server: changing one makes a new immutable version. Omitted fields take the server defaults.
 * Changing `project`, `environment` or `slug` replaces the agent.
 */
export class Agent extends PlatosResource {
  static readonly __pulumiType = typeTokens.Agent;

  static override isInstance(obj: unknown): obj is Agent {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: unknown }).__pulumiType === Agent.__pulumiType;
  }

  declare readonly project: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<string>;
  declare readonly slug: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly model: pulumi.Output<string>;
  declare readonly systemPrompt: pulumi.Output<string | null>;
  declare readonly promptBlocks: pulumi.Output<PromptBlock[]>;
  declare readonly toolsBlockConfig: pulumi.Output<JsonObject | null>;
  declare readonly metaTools: pulumi.Output<Record<MetaToolName, boolean>>;
  declare readonly memoryConfig: pulumi.Output<JsonObject | null>;
  declare readonly featureFlags: pulumi.Output<Record<string, boolean>>;
  declare readonly outputSchema: pulumi.Output<JsonObject | null>;
  declare readonly maxSteps: pulumi.Output<number>;
  declare readonly contextLimit: pulumi.Output<number>;
  declare readonly isActive: pulumi.Output<boolean>;
  declare readonly adopt: pulumi.Output<boolean | undefined>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly environmentId: pulumi.Output<string>;
  declare readonly currentVersionId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** The server version's number; null on the platform protocol, whose agent record has none. */
  declare readonly versionNumber: pulumi.Output<number | null>;
  /** The dashboard page of this object; only with the provider setting platos:dashboardUrl. */
  declare readonly dashboardUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: AgentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputsOnly: UnsetOutputs<AgentOutputs, AgentInputs> = {
      projectId: undefined,
      environmentId: undefined,
      currentVersionId: undefined,
      versionNumber: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      dashboardUrl: undefined,
    };
    super("Agent", name, { ...args, ...outputsOnly }, opts);
  }
}
