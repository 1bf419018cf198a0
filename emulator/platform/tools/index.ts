/** Every tool of the catalogue (provider/client/platform/tools.ts) with its implementation. */
import type { ToolName } from "../../../provider/client/platform/tools";
import { agentTools } from "./agents";
import { approvalTools } from "./approvals";
import type { ToolHandlers } from "./context";
import { environmentTools } from "./environments";
import { introspectionTools } from "./introspection";
import { providerTools } from "./providers";
import { secretTools } from "./secrets";

export const TOOL_HANDLERS: ToolHandlers<ToolName> = {
  ...environmentTools,
  ...secretTools,
  ...agentTools,
  ...providerTools,
  ...introspectionTools,
  ...approvalTools,
};
