/**
 * Runs a Pulumi program function in-process under `pulumi.runtime.setMocks`, capturing every registration as
 * the engine would receive it (wire form: secrets in the envelope, computed values as the unknown sentinel,
 * dynamic resources with their serialized `__provider`). A caller-supplied `newResource` plays the engine's
 * part for each custom resource and its id and outputs flow back into the program.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as pulumi from "@pulumi/pulumi";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { PROVIDER_KEY, fromStruct, isSecret, markSecret, type PropertyMap } from "./wire";

export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  /** Parent URN, or "" for a top-level resource. */
  parent: string;
  custom: boolean;
  /** True for `Resource.get` (ReadResource): `id` is the id asked for. */
  read: boolean;
  id: string;
  inputs: PropertyMap;
  /** Provider reference (`urn::id`), or "" for the package's default provider. */
  provider: string;
  additionalSecretOutputs: string[];
  deleteBeforeReplace: boolean;
  /** `retainOnDelete`: a delete step drops the resource from state without calling the provider. */
  retainOnDelete: boolean;
  replaceOnChanges: string[];
  ignoreChanges: string[];
}

export interface ResourceResult {
  /** "" during preview for a resource that does not exist yet: the program then sees an unknown id. */
  id: string;
  outputs: PropertyMap;
}

export interface CapturedResource extends RegisteredResource {
  result: ResourceResult;
}

export type NewResource = (resource: RegisteredResource) => ResourceResult | Promise<ResourceResult>;

export interface RunOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
  /** Stack config, keys with their namespace (`platos:apiUrl`), as `pulumi config` stores them. */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** The engine's part for custom resources. Default: outputs = inputs, id = `<name>-id` (none in preview). */
  newResource?: NewResource;
}

export interface ProgramRun {
  resources: CapturedResource[];
  /** Stack outputs in wire form: secret outputs stay in the envelope, unknowns are the sentinel. */
  outputs: PropertyMap;
}

type ProgramFn = () => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;

type MonitorRequest = { kind: "register"; req: resproto.RegisterResourceRequest } | { kind: "read"; req: resproto.ReadResourceRequest };

interface MockMonitorInternals {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: resproto.RegisterResourceRequest, cb: unknown): Promise<void>;
  readResource(req: resproto.ReadResourceRequest, cb: unknown): Promise<void>;
}

/** Internal runtime functions this harness relies on (@pulumi/pulumi 3.248, runtime/settings.js). */
const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): unknown;
  waitForRPCs(): Promise<void>;
};

export async function runProgram(program: ProgramFn, options: RunOptions = {}): Promise<ProgramRun> {
  const newResource = options.newResource ?? echoResource(!!options.preview);
  const resources: CapturedResource[] = [];
  const failures: unknown[] = [];
  const requests = new AsyncLocalStorage<MonitorRequest>();

  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
  // setMocks resets the runtime's options, monitor and stack resource, so each run starts clean.
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const registered = registrationOf(requests.getStore(), args.id);
        try {
          const result = registered.custom ? await newResource(registered) : { id: "", outputs: registered.inputs };
          const outputs = markSecret(result.outputs, registered.additionalSecretOutputs);
          resources.push({ ...registered, result: { id: result.id, outputs } });
          return { id: result.id, state: outputs };
        } catch (err) {
          failures.push(err);
          throw err;
        }
      },
      call: (args) => args.inputs,
    },
    options.project ?? "project",
    options.stack ?? "stack",
    !!options.preview,
  );
  instrumentMonitor(settings.getMonitor() as MockMonitorInternals, requests);

  let returned: Record<string, unknown> | void;
  try {
    returned = await program();
  } finally {
    // Registrations the program did not await still have to finish before the run counts as done.
    await settings.waitForRPCs().catch(() => undefined);
  }
  if (failures.length > 0) throw failures[0];
  const outputs = (await pulumi.runtime.serializeProperties("outputs", returned ?? {})) as PropertyMap;
  return { resources, outputs };
}

/** The `__provider` string of a dynamic resource, unwrapped when it captured a secret. */
export function providerCode(resource: RegisteredResource): string {
  const value = resource.inputs[PROVIDER_KEY];
  const code = isSecret(value) ? value.value : value;
  if (typeof code !== "string") throw new Error(`${resource.urn} has no serialized ${PROVIDER_KEY}`);
  return code;
}

/** The URN the engine gives a resource: children of the root stack carry no `pulumi:pulumi:Stack$` prefix. */
function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function echoResource(preview: boolean): NewResource {
  return (res) => ({ id: res.read ? res.id : preview ? "" : `${res.name}-id`, outputs: res.inputs });
}

/**
 * The mock monitor hands `newResource` deserialized inputs without parent or options, and builds URNs with
 * only the parent's last type segment. Keep the raw request in async context for `registrationOf`, and make its
 * URNs match the engine's.
 */
function instrumentMonitor(monitor: MockMonitorInternals, requests: AsyncLocalStorage<MonitorRequest>): void {
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  monitor.newUrn = (parent, type, name) => engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
  monitor.registerResource = (req, cb) => requests.run({ kind: "register", req }, () => register(req, cb));
  monitor.readResource = (req, cb) => requests.run({ kind: "read", req }, () => read(req, cb));
}

function registrationOf(request: MonitorRequest | undefined, id: string | undefined): RegisteredResource {
  if (!request) throw new Error("newResource called outside a monitor request (harness out of date?)");
  const { req } = request;
  const base = {
    urn: engineUrn(pulumi.getStack(), pulumi.getProject(), req.getParent(), req.getType(), req.getName()),
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    id: id ?? "",
    provider: req.getProvider(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
  };
  if (request.kind === "read") {
    const r = request.req;
    return {
      ...base,
      custom: true,
      read: true,
      inputs: fromStruct(r.getProperties()),
      deleteBeforeReplace: false,
      retainOnDelete: false,
      replaceOnChanges: [],
      ignoreChanges: [],
    };
  }
  const r = request.req;
  return {
    ...base,
    custom: r.getCustom(),
    read: false,
    inputs: fromStruct(r.getObject()),
    deleteBeforeReplace: r.getDeletebeforereplace(),
    retainOnDelete: r.getRetainondelete() ?? false,
    replaceOnChanges: r.getReplaceonchangesList(),
    ignoreChanges: r.getIgnorechangesList(),
  };
}
