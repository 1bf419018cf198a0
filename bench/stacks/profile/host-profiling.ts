/**
 * `--profile`: each provider host runs with host-cpu-profiler.js preloaded, writing one `.cpuprofile` a host
 * (open it in Chrome DevTools) into a directory per variant and operation, under one root per benchmark run.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROFILER = join(__dirname, "host-cpu-profiler.js");

/** Sampling interval of the profiler, in microseconds (V8's default is 1000). */
export const SAMPLE_INTERVAL_US = 500;

export class HostProfiles {
  readonly root = mkdtempSync(join(tmpdir(), "platos-bench-profiles-"));

  /** Where the hosts of one variant's operation write their profiles. */
  dirOf(variant: string, operation: string): string {
    return join(this.root, slug(variant), slug(operation));
  }

  /** The environment that makes a host write its profile into `dirOf(variant, operation)`. */
  hostEnv(variant: string, operation: string): Record<string, string> {
    const dir = this.dirOf(variant, operation);
    mkdirSync(dir, { recursive: true });
    return {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require=${PROFILER}`].filter(Boolean).join(" "),
      PLATOS_BENCH_PROFILE_DIR: dir,
      PLATOS_BENCH_PROFILE_INTERVAL_US: String(SAMPLE_INTERVAL_US),
    };
  }
}

const slug = (name: string): string =>
  name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
