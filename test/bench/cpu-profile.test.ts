/** bench/stacks/profile/cpu-profile.ts: whose code a frame is, and how a profile's samples are summed. */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noopProviderCode } from "../../bench/stacks/noop/noop-provider";
import { groupOf, summariseProfiles } from "../../bench/stacks/profile/cpu-profile";
import { HostProfiles } from "../../bench/stacks/profile/host-profiling";
import { startProviderHost } from "../harness/provider-host";

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, scriptId: "0", columnNumber: 0 });

describe("bench CPU profiles", () => {
  it("groups frames by whose code they are", () => {
    assert.equal(groupOf(frame("check", "file:///repo/provider/lib/providers/environment-variable.js")), "this package");
    assert.equal(groupOf(frame("check", "/app/node_modules/pulumi-platos/lib/providers/agent.js")), "this package");
    assert.equal(groupOf(frame("check", "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js")), "Pulumi SDK");
    assert.equal(groupOf(frame("respond", "/app/node_modules/@grpc/grpc-js/build/src/server.js")), "gRPC/protobuf");
    assert.equal(groupOf(frame("J.fa", "/app/node_modules/google-protobuf/google-protobuf.js")), "gRPC/protobuf");
    assert.equal(groupOf(frame("parse", "/app/node_modules/zod/v4/core/schemas.cjs")), "zod");
    assert.equal(groupOf(frame("wrapSafe", "node:internal/modules/cjs/loader")), "node internals");
    assert.equal(groupOf(frame("(garbage collector)", "")), "node internals");
    assert.equal(groupOf(frame("request", "/app/node_modules/undici/index.js")), "other");
  });

  describe("a profile's summary", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "cpu-profile-test-"));
      // root → ours → zod; root → ours → node's loader; root → SDK; root → (idle)
      const nodes = [
        { id: 1, callFrame: frame("(root)", ""), children: [2, 5, 6] },
        { id: 2, callFrame: frame("check", "/repo/provider/lib/providers/inputs.js", 18), children: [3, 4] },
        { id: 3, callFrame: frame("parse", "/repo/node_modules/zod/v4/core/schemas.cjs") },
        { id: 4, callFrame: frame("wrapSafe", "node:internal/modules/cjs/loader") },
        { id: 5, callFrame: frame("checkRPC", "/repo/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js") },
        { id: 6, callFrame: frame("(idle)", "") },
      ];
      // Sampled every 500 µs; one long gap (the process waited for a core) weighs no more than the others.
      const samples = [2, 3, 3, 4, 5, 6, 6, 6];
      const timeDeltas = [500, 500, 500, 90_000, 500, 500, 500, 500];
      writeFileSync(join(dir, "1.cpuprofile"), JSON.stringify({ nodes, startTime: 0, endTime: 100_000, samples, timeDeltas }));
      writeFileSync(join(dir, "not-a-profile.txt"), "ignored");
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("weighs each sample one interval, leaves idle out, and sums self time by group and by caller", () => {
      const summary = summariseProfiles(dir);
      assert.equal(summary.profiles, 1);
      assert.equal(summary.totalMs, 2.5);
      assert.deepEqual(Object.fromEntries(summary.byGroup), {
        "this package": 0.5,
        "Pulumi SDK": 0.5,
        "gRPC/protobuf": 0,
        zod: 1,
        "node internals": 0.5,
        other: 0,
      });
      // The loader frame is charged to this package, which called it.
      assert.deepEqual(Object.fromEntries(summary.byCaller), {
        "this package": 1,
        "Pulumi SDK": 0.5,
        "gRPC/protobuf": 0,
        zod: 1,
        "node internals": 0,
        other: 0,
      });
      assert.equal(summary.throughPackageMs, 2);
      assert.deepEqual(summary.frames[0], { frame: "parse (zod/v4/core/schemas.cjs:1)", group: "zod", selfMs: 1 });
      assert.ok(summary.frames.some((f) => f.frame === "check (provider/lib/providers/inputs.js:19)"));
      // The SDK's frame has no frame of this package above it.
      assert.deepEqual(
        summary.framesThroughPackage.map((f) => f.frame),
        ["parse (zod/v4/core/schemas.cjs:1)", "check (provider/lib/providers/inputs.js:19)", "wrapSafe (node:internal/modules/cjs/loader:1)"],
      );
    });

    it("is empty for a directory no host wrote to", () => {
      const summary = summariseProfiles(join(dir, "absent"));
      assert.equal(summary.profiles, 0);
      assert.equal(summary.totalMs, 0);
    });
  });

  it("profiles a provider host from its start to the SIGTERM that stops it", async function () {
    this.timeout(60_000);
    const profiles = new HostProfiles();
    try {
      const host = await startProviderHost({ cwd: join(__dirname, "..", ".."), env: profiles.hostEnv("no-op", "preview") });
      await host.configure({});
      const code = await noopProviderCode();
      await host.check("urn:pulumi:dev::bench::pulumi-nodejs:dynamic/bench:Thing::t", {}, { __provider: code });
      await host.close();
      const summary = summariseProfiles(profiles.dirOf("no-op", "preview"));
      assert.equal(summary.profiles, 1);
      assert.ok((summary.byGroup.get("Pulumi SDK") ?? 0) > 0, "the host's own code was sampled");
      assert.equal(summariseProfiles(profiles.dirOf("no-op", "no-change up")).profiles, 0);
    } finally {
      rmSync(profiles.root, { recursive: true, force: true });
    }
  });
});
