import assert from "node:assert/strict";
import { readConfig } from "../../emulator/config";
import { NO_FAULTS } from "../../emulator/plugins/faults";

describe("emulator configuration", () => {
  it("has defaults for everything", () => {
    const config = readConfig({});
    assert.deepEqual(config, {
      host: "127.0.0.1",
      port: 4600,
      dataDir: ".platos/emulator",
      adminToken: undefined,
      masterKey: undefined,
      rateLimitPerMinute: 0,
      faults: NO_FAULTS,
      databaseUrl: undefined,
      logLevel: "info",
      interactiveApprovals: false,
      dashboardOrigin: undefined,
      approvalTtlSeconds: 3600,
    });
  });

  it("reads every setting", () => {
    const config = readConfig({
      PLATOS_EMULATOR_HOST: "0.0.0.0",
      PLATOS_EMULATOR_PORT: "0",
      PLATOS_EMULATOR_DATA: "/tmp/x",
      PLATOS_EMULATOR_ADMIN_TOKEN: "t0ken",
      PLATOS_EMULATOR_MASTER_KEY: "0f".repeat(32),
      PLATOS_EMULATOR_RATE_LIMIT: "60",
      PLATOS_EMULATOR_FAULTS: "error503=0.2,drop=0.1,latencyMs=50",
      PLATOS_EMULATOR_LOG_LEVEL: "warn",
      DATABASE_URL: "postgres://localhost/platos",
      PLATOS_EMULATOR_INTERACTIVE_APPROVALS: "TRUE",
      PLATOS_EMULATOR_DASHBOARD_ORIGIN: "https://platos.example.com/ignored/path",
      PLATOS_EMULATOR_APPROVAL_TTL_SECONDS: "120",
    });
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.port, 0);
    assert.equal(config.dataDir, "/tmp/x");
    assert.equal(config.adminToken, "t0ken");
    assert.deepEqual(config.masterKey, Buffer.alloc(32, 0x0f));
    assert.equal(config.rateLimitPerMinute, 60);
    assert.deepEqual(config.faults, { error503: 0.2, drop: 0.1, dropAfter: 0, latencyMs: 50 });
    assert.equal(config.databaseUrl, "postgres://localhost/platos");
    assert.equal(config.logLevel, "warn");
    assert.equal(config.interactiveApprovals, true);
    assert.equal(config.dashboardOrigin, "https://platos.example.com");
    assert.equal(config.approvalTtlSeconds, 120);
  });

  it("turns interactive approvals on only for 1 or true", () => {
    for (const [value, on] of [
      ["1", true],
      ["true", true],
      ["yes", false],
      ["0", false],
    ] as const) {
      assert.equal(readConfig({ PLATOS_EMULATOR_INTERACTIVE_APPROVALS: value }).interactiveApprovals, on, value);
    }
  });

  for (const [name, value, message] of [
    ["PLATOS_EMULATOR_PORT", "70000", /PLATOS_EMULATOR_PORT must be a whole number/],
    ["PLATOS_EMULATOR_PORT", "http", /PLATOS_EMULATOR_PORT/],
    ["PLATOS_EMULATOR_RATE_LIMIT", "-1", /PLATOS_EMULATOR_RATE_LIMIT/],
    ["PLATOS_EMULATOR_FAULTS", "drop=2", /PLATOS_EMULATOR_FAULTS/],
    ["PLATOS_EMULATOR_LOG_LEVEL", "loud", /PLATOS_EMULATOR_LOG_LEVEL/],
    ["PLATOS_EMULATOR_MASTER_KEY", "short-secret", /PLATOS_EMULATOR_MASTER_KEY/],
    ["PLATOS_EMULATOR_DASHBOARD_ORIGIN", "ftp://x", /PLATOS_EMULATOR_DASHBOARD_ORIGIN/],
    ["PLATOS_EMULATOR_APPROVAL_TTL_SECONDS", "30", /PLATOS_EMULATOR_APPROVAL_TTL_SECONDS/],
  ] as const) {
    it(`refuses ${name}=${value}, naming the setting`, () => {
      assert.throws(
        () => readConfig({ [name]: value }),
        (err: Error) => message.test(err.message) && (name !== "PLATOS_EMULATOR_MASTER_KEY" || !err.message.includes(value)),
      );
    });
  }
});
