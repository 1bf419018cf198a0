import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "../../provider/client/error-codes";
import { coreApiRoutes } from "../../provider/client/platform/core-api";
import { TOOL_NAMES } from "../../provider/client/platform/tools";
import { routes } from "../../provider/client/routes";
import { emulatorRoutes } from "../../emulator/routes/dashboard";
import { REPO_ROOT } from "../helpers/emulator";

describe("docs/api.md", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "api.md"), "utf8");

  it("documents every route of the route tables (V1, core-api, the emulator's own)", () => {
    const missing = [...Object.values(routes), ...Object.values(coreApiRoutes), ...Object.values(emulatorRoutes)]
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !doc.includes(`\`${route}\``));
    assert.deepEqual(missing, []);
  });

  it("documents every platform tool", () => {
    assert.deepEqual(
      TOOL_NAMES.filter((name) => !doc.includes(`\`${name}\``)),
      [],
    );
  });

  it("documents every error code", () => {
    assert.deepEqual(
      Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``)),
      [],
    );
  });
});
