import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "../../provider/client/error-codes";
import { routes } from "../../provider/client/routes";
import { REPO_ROOT } from "../helpers/emulator";

describe("docs/api.md", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "api.md"), "utf8");

  it("documents every route of the route table", () => {
    const missing = Object.values(routes)
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !doc.includes(`\`${route}\``));
    assert.deepEqual(missing, []);
  });

  it("documents every error code", () => {
    assert.deepEqual(Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``)), []);
  });
});
