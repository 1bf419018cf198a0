/**
 * A small stand-in for the engine's step generator: keeps state in memory and, for each dynamic resource the
 * program registers, runs Check → (Create | Diff → Update / Replace / nothing) on a real provider host. Plug
 * `engine.newResource` into `runProgram`; call `deleteUnregistered` after a run and `destroy` at the end.
 *
 * As the engine does, a create-before-delete replacement's old object is deleted at the end of the run (before
 * the deletes of unregistered resources), newest first, so dependents move before what they depended on goes.
 * `retainOnDelete` is honoured: its delete steps drop the resource from state and leave it in Platos.
 *
 * Check runs one registration at a time, in the order the program registers them, and the first resource that
 * fails it stops the run: every failure of that resource is reported (CheckFailedError) and no later
 * registration is checked. That is the engine's step generator: it handles registrations one by one, reports each
 * failure of a failed Check, then bails with "resource <urn> is invalid" and cancels the deployment
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go, deployment_executor.go). Steps after Check still run
 * concurrently, as the engine's step executor runs them.
 * Not modelled: ignoreChanges, replaceOnChanges, protect, parallelism limits.
 */
import { isDeepStrictEqual } from "node:util";
import { HostCallError, type ProviderHost } from "./provider-host";
import type { RegisteredResource, ResourceResult } from "./program-runner";
import { revealSecrets, type PropertyMap } from "./wire";

export interface ResourceState {
  urn: string;
  type: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  retainOnDelete?: boolean;
}

export type StepKind = "create" | "update" | "replace" | "same" | "delete" | "read";

const retained = (res: RegisteredResource) => (res.retainOnDelete ? { retainOnDelete: true } : { retainOnDelete: undefined });

const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic(\/|:)/;

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** The resource whose Check failed, with every failure Check reported (names and rules; never a value). */
export class CheckFailedError extends Error {
  constructor(
    readonly urn: string,
    readonly failures: readonly CheckFailure[],
  ) {
    super(`resource ${urn} is invalid:\n${failures.map((f) => `  ${f.property ? `${f.property}: ` : ""}${f.reason}`).join("\n")}`);
    this.name = "CheckFailedError";
  }
}

/**
 * A failed provider call as the program sees it. A HostCallError carries the host's gRPC status, and the SDK reads
 * UNAVAILABLE (a host that died) on a failed registration as "the engine is shutting down": it stops counting its
 * calls and the program run never ends. The engine reports a provider's failure as an error of the step instead.
 */
function withoutRpcStatus(err: unknown): unknown {
  return err instanceof HostCallError ? new Error(err.message, { cause: err }) : err;
}

/** A registration the run never checked, because an earlier resource failed Check. */
class NotCheckedError extends Error {
  constructor(urn: string, invalid: string) {
    super(`${urn}: not checked: the run stopped at invalid resource ${invalid}`);
    this.name = "NotCheckedError";
  }
}

export class HostEngine {
  readonly state = new Map<string, ResourceState>();
  /** Steps taken, in order, e.g. `create urn:pulumi:...`. */
  readonly steps: { kind: StepKind; urn: string }[] = [];
  private readonly registered = new Set<string>();
  /** Old objects of create-before-delete replacements, deleted at the end of the run. */
  private readonly replaced: ResourceState[] = [];
  private preview = false;
  /** Where the next registration's Check waits for its turn. */
  private checkTurn: Promise<unknown> = Promise.resolve();
  /** The URN of the resource that failed Check in this run, if one did. */
  private invalid: string | undefined;

  constructor(private readonly host: ProviderHost) {}

  /** Starts a program run: preview or not, and forget which URNs the last run registered. */
  beginRun(options: { preview?: boolean } = {}): this {
    this.preview = !!options.preview;
    this.registered.clear();
    this.invalid = undefined;
    return this;
  }

  /** Check, one registration at a time; after a failed one, no more. */
  private check(res: RegisteredResource, prior: ResourceState | undefined) {
    const checked = this.checkTurn.then(async () => {
      if (this.invalid) throw new NotCheckedError(res.urn, this.invalid);
      const result = await this.host.check(res.urn, prior?.inputs ?? {}, res.inputs);
      if (result.failures.length > 0) {
        this.invalid = res.urn;
        throw new CheckFailedError(res.urn, result.failures);
      }
      return result;
    });
    this.checkTurn = checked.catch(() => undefined);
    return checked;
  }

  readonly newResource = async (res: RegisteredResource): Promise<ResourceResult> => {
    try {
      return await this.step(res);
    } catch (err) {
      throw withoutRpcStatus(err);
    }
  };

  private readonly step = async (res: RegisteredResource): Promise<ResourceResult> => {
    if (!DYNAMIC_TYPE.test(res.type)) throw new Error(`${res.urn}: HostEngine only drives dynamic resources`);
    if (res.read) throw new Error(`${res.urn}: HostEngine does not model ReadResource (Resource.get)`);
    this.registered.add(res.urn);
    const prior = this.state.get(res.urn);
    const checked = await this.check(res, prior);
    if (!prior) return this.create(res, checked.inputs);
    const diff = await this.host.diff(prior.id, res.urn, prior.outputs, checked.inputs, prior.inputs);
    // DIFF_UNKNOWN (no `diff`, or `changes` left undefined): the engine compares old and new inputs itself.
    const changed = diff.changes === "some" || (diff.changes === "unknown" && !isDeepStrictEqual(revealSecrets(prior.inputs), revealSecrets(checked.inputs)));
    if (!changed) {
      this.record("same", res.urn, { ...prior, inputs: checked.inputs, ...retained(res) });
      return { id: prior.id, outputs: prior.outputs };
    }
    if (diff.replaces.length > 0) return this.replace(res, prior, checked.inputs, diff.deleteBeforeReplace);
    const updated = await this.host.update(prior.id, res.urn, prior.outputs, checked.inputs, {
      preview: this.preview,
      oldInputs: prior.inputs,
    });
    this.record("update", res.urn, { ...prior, inputs: checked.inputs, outputs: updated.properties, ...retained(res) });
    return { id: prior.id, outputs: updated.properties };
  };

  /**
   * The end of a run: deletes the old objects replacements left behind and what the run no longer registers,
   * together, newest first (state order stands in for the engine's dependency order).
   */
  async deleteUnregistered(): Promise<void> {
    const replaced = new Map(this.replaced.splice(0).map((old) => [old.urn, old]));
    for (const urn of [...this.state.keys()].reverse()) {
      const old = replaced.get(urn);
      if (old) {
        if (!old.retainOnDelete) await this.host.delete(old.id, old.urn, old.outputs, old.inputs);
        this.steps.push({ kind: "delete", urn });
      }
      if (!this.registered.has(urn)) await this.deleteState(urn);
    }
  }

  async destroy(): Promise<void> {
    this.registered.clear();
    await this.deleteUnregistered();
  }

  /** `pulumi refresh`: Read each resource; an empty id drops it from state. */
  async refresh(): Promise<void> {
    for (const [urn, s] of this.state) {
      const read = await this.host.read(s.id, urn, s.outputs, s.inputs);
      if (read.id === "") this.state.delete(urn);
      else this.state.set(urn, { ...s, id: read.id, outputs: read.properties, inputs: read.inputs ?? s.inputs });
      this.steps.push({ kind: "read", urn });
    }
  }

  private async create(res: RegisteredResource, inputs: PropertyMap): Promise<ResourceResult> {
    const created = await this.host.create(res.urn, inputs, { preview: this.preview });
    this.record("create", res.urn, { urn: res.urn, type: res.type, id: created.id, inputs, outputs: created.properties, ...retained(res) });
    return { id: created.id, outputs: created.properties };
  }

  private async replace(res: RegisteredResource, prior: ResourceState, inputs: PropertyMap, deleteFirst: boolean) {
    if (deleteFirst) await this.deleteState(res.urn);
    const created = await this.host.create(res.urn, inputs, { preview: this.preview });
    if (!deleteFirst && !this.preview) this.replaced.push(prior);
    this.record("replace", res.urn, { ...prior, id: created.id, inputs, outputs: created.properties, ...retained(res) });
    return { id: created.id, outputs: created.properties };
  }

  private async deleteState(urn: string): Promise<void> {
    const s = this.state.get(urn);
    if (!s) return;
    if (!this.preview) {
      if (!s.retainOnDelete) await this.host.delete(s.id, urn, s.outputs, s.inputs);
      this.state.delete(urn);
    }
    this.steps.push({ kind: "delete", urn });
  }

  private record(kind: StepKind, urn: string, next: ResourceState): void {
    this.steps.push({ kind, urn });
    if (!this.preview) this.state.set(urn, next);
  }
}
