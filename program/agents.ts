/**
 * The agents every stack deploys, each under its environment's own slug (stack.ts). Promotion is deploying the
 * same definitions to the next environment; the environment's variables (provider keys, flags) do the rest.
 */
import type { AgentArgs } from "pulumi-platos";

export type AgentDefinition = Omit<AgentArgs, "project" | "environment" | "model" | "slug"> & { readonly slug: string };

export const agents: readonly AgentDefinition[] = [
  {
    slug: "support",
    name: "Support",
    systemPrompt: "You are the support agent. Answer from the knowledge base; hand off billing questions.",
    promptBlocks: [{ key: "tone", content: "Be brief and friendly." }],
    metaTools: { memory_extract: true },
    maxSteps: 24,
  },
  {
    slug: "triage",
    name: "Triage",
    systemPrompt: "Classify each incoming ticket and route it to the right queue.",
    outputSchema: { type: "object", properties: { queue: { type: "string" } }, required: ["queue"] },
    maxSteps: 8,
    contextLimit: 10,
  },
  {
    // Composed from prompt blocks alone, with a tools config and an empty memory config: real Platos derives its
    // prompt from the blocks, gives the tools config a mode and reads the memory config back as null.
    slug: "router",
    name: "Router",
    promptBlocks: [
      { key: "role", content: "Route each request to the agent that owns it." },
      { key: "handoff", content: "Say which agent you chose and why." },
    ],
    toolsBlockConfig: { enabledTools: ["lookup_customer"], displayMode: "summary" },
    memoryConfig: {},
  },
];
