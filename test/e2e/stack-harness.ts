/**
 * TEST HARNESS, not an engine for users: runs a Pulumi program the way `pulumi up` / `refresh` / `destroy`
 * would, out of the pieces the engine really runs. The real SDK runs the program (mock monitor), the real
 * dynamic-provider host does Check/Diff/Create/Update/Delete/Read over gRPC, the real policy pack is consulted
 * over the Analyzer protocol for every resource, and state is kept per stack in a file. `up` previews first and
 * stops on a mandatory policy violation before the update pass, so nothing is written.
 */
import { HostEngine, type StepKind } from "../harness/host-engine";
import { runProgram, type RegisteredResource, type ResourceResult } from "../harness/program-runner";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import type { PropertyMap } from "../harness/wire";
import { startPolicyPack, type Diagnostic, type RunningPolicyPack } from "../helpers/policy-analyzer";
import { StackStateFile } from "./state-file";

export interface StackHarnessOptions {
  /** Pulumi project name (the program's `Pulumi.yaml` name). */
  readonly project: string;
  readonly stack: string;
  /** Runs the program once; a fresh module load each time. */
  readonly program: () => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;
  /** Directory the provider host runs in (resolves `pulumi-platos` from its node_modules). */
  readonly programDir: string;
  readonly stateFile: string;
  readonly passphrase: string;
  /** Stack config with namespaces, e.g. `platos:apiUrl`. */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** The policy pack to consult; none when undefined. */
  readonly policyPackDir?: string;
  /** Extra environment for each provider host (bench/stacks profiles the host through NODE_OPTIONS). */
  readonly hostEnv?: Readonly<Record<string, string>>;
  /** Sees each operation's provider host and policy pack once started, and may wrap them (bench/stacks times their calls). */
  readonly instrument?: HarnessInstrument;
  /**
   * The outputs of resources whose provider is a plugin binary this harness cannot run (e.g. `@pulumi/random`), by
   * type token: a stand-in for the engine's step, stateless, so it must answer the same inputs with the same outputs.
   * Such resources are not kept in state; any other non-dynamic resource fails the run.
   */
  readonly mockedResources?: Readonly<Record<string, (resource: RegisteredResource) => PropertyMap>>;
}

export interface HarnessInstrument {
  host?(host: ProviderHost): ProviderHost;
  policyPack?(pack: RunningPolicyPack): RunningPolicyPack;
}

export class PolicyViolationError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`mandatory policy violations:\n${diagnostics.map((d) => `  [${d.policyName}] ${d.urn}: ${d.message}`).join("\n")}`);
  }
}

export interface OperationResult {
  readonly steps: readonly { kind: StepKind; urn: string }[];
  readonly outputs: PropertyMap;
  /** Every diagnostic the policy pack reported, advisory ones included. */
  readonly diagnostics: readonly Diagnostic[];
}

interface Session {
  readonly host: ProviderHost;
  readonly engine: HostEngine;
  readonly pack: RunningPolicyPack | undefined;
}

export class StackHarness {
  private readonly stateFile: StackStateFile;

  constructor(readonly options: StackHarnessOptions) {
    this.stateFile = new StackStateFile(options.stateFile, options.stack, options.passphrase);
  }

  /** `pulumi preview`: Check and Diff only, with the policy pack; nothing is written. */
  preview(): Promise<OperationResult> {
    return this.session(async (s) => this.run(s, true));
  }

  /** `pulumi up`: a preview (stopping on mandatory violations), then the update, then deletes of what is gone. */
  up(): Promise<OperationResult> {
    return this.session(async (s) => {
      const preview = await this.run(s, true);
      const stepsBefore = s.engine.steps.length;
      const update = await this.run(s, false);
      await s.engine.deleteUnregistered();
      return { steps: s.engine.steps.slice(stepsBefore), outputs: update.outputs, diagnostics: [...preview.diagnostics, ...update.diagnostics] };
    });
  }

  /** `pulumi refresh`: Read every resource; gone ones leave state. */
  refresh(): Promise<OperationResult> {
    return this.session(async (s) => {
      await s.engine.refresh();
      return { steps: s.engine.steps, outputs: {}, diagnostics: [] };
    });
  }

  /** `pulumi destroy`: delete everything in state, newest first. */
  destroy(): Promise<OperationResult> {
    return this.session(async (s) => {
      await s.engine.destroy();
      return { steps: s.engine.steps, outputs: {}, diagnostics: [] };
    });
  }

  /** The state as the file holds it (secrets decrypted into envelopes). */
  state() {
    return this.stateFile.load();
  }

  private async run(s: Session, preview: boolean): Promise<OperationResult> {
    const diagnostics: Diagnostic[] = [];
    const stepsBefore = s.engine.steps.length;
    const engineStep = s.engine.beginRun({ preview }).newResource;
    const newResource = async (resource: RegisteredResource): Promise<ResourceResult> => {
      if (s.pack) {
        const found = await s.pack.analyze({ type: resource.type, name: resource.name, urn: resource.urn, properties: resource.inputs });
        diagnostics.push(...found);
        const mandatory = found.filter((d) => d.enforcementLevel === "mandatory");
        if (mandatory.length > 0) throw new PolicyViolationError(mandatory);
      }
      const mocked = this.options.mockedResources?.[resource.type];
      if (mocked) return { id: `${resource.name}-mocked`, outputs: { ...resource.inputs, ...mocked(resource) } };
      return engineStep(resource);
    };
    const { outputs } = await runProgram(this.options.program, {
      project: this.options.project,
      stack: this.options.stack,
      preview,
      config: this.options.config,
      secretKeys: [...this.options.secretKeys],
      newResource,
    });
    return { steps: s.engine.steps.slice(stepsBefore), outputs, diagnostics };
  }

  /** One provider host and policy pack per operation, as the engine starts them per command. */
  private async session<T>(operation: (s: Session) => Promise<T>): Promise<T> {
    const { options, stateFile } = this;
    const started = await startProviderHost({
      cwd: options.programDir,
      env: { ...options.hostEnv, PULUMI_NODEJS_PROJECT: options.project, PULUMI_NODEJS_STACK: options.stack },
    });
    const host = options.instrument?.host?.(started) ?? started;
    let pack: RunningPolicyPack | undefined;
    try {
      await host.configure(options.config, { secretKeys: options.secretKeys });
      const startedPack = options.policyPackDir
        ? await startPolicyPack({ packDir: options.policyPackDir, stack: options.stack, project: options.project, config: options.config })
        : undefined;
      pack = startedPack && (options.instrument?.policyPack?.(startedPack) ?? startedPack);
      const engine = new HostEngine(host);
      for (const [urn, resource] of stateFile.load()) engine.state.set(urn, resource);
      try {
        return await operation({ host, engine, pack });
      } finally {
        // Whatever was done is recorded, also when the operation failed half-way.
        stateFile.save(engine.state);
      }
    } finally {
      await Promise.all([host.close(), pack?.close()]);
    }
  }
}
