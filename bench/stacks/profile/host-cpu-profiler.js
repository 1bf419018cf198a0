// Preloaded into a profiled provider host (NODE_OPTIONS --require; Node 20 refuses --cpu-prof there): profiles the
// process through the inspector from start to SIGTERM, which is how the harness stops the host, then writes the
// profile as <pid>.cpuprofile into PLATOS_BENCH_PROFILE_DIR and exits.
const { Session } = require("node:inspector");
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

const dir = process.env.PLATOS_BENCH_PROFILE_DIR;
const intervalUs = Number(process.env.PLATOS_BENCH_PROFILE_INTERVAL_US) || 1000;
const session = new Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: intervalUs });
session.post("Profiler.start");

process.once("SIGTERM", () => {
  session.post("Profiler.stop", (err, result) => {
    if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    process.exit(0);
  });
});
