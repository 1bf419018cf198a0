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
];
