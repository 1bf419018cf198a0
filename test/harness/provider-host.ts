/**
 * Drives the real Node dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC, the way the
 * engine does, without the Pulumi CLI. Values go in and come out in wire form (see wire.ts): the client reveals
 * secrets before sending (the host answers Configure with acceptSecrets=false) and re-marks results by input
 * name afterwards, so callers see what the engine would persist as secret.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { grpcErrorToHostError } from "./host-errors";
import { resolveSdkModule } from "./sdk-module";
import { annotateSecrets, fromStruct, revealSecrets, secret, toStruct, type PropertyMap } from "./wire";

export { HostCallError } from "./host-errors";

export interface StartProviderHostOptions {
  /** Program directory: the host resolves `require("pkg/...")` in provider code from its node_modules. */
  cwd: string;
  /** Extra environment for the host process (the engine passes its own environment through). */
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for the host to print its port. */
  startTimeoutMs?: number;
}

export interface ConfigureOptions {
  /** Keys to send in the secret envelope, as the engine does for `pulumi config set --secret`. */
  secretKeys?: readonly string[];
}

export interface ConfigureResult {
  acceptSecrets: boolean;
  supportsPreview: boolean;
  acceptResources: boolean;
  acceptOutputs: boolean;
}

export interface CheckResult {
  inputs: PropertyMap;
  failures: { property: string; reason: string }[];
}

export interface DiffResult {
  /** The host maps `changes: true/false/undefined` (or no `diff` method) to some/none/unknown. */
  changes: "some" | "none" | "unknown";
  replaces: string[];
  stables: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
}

export interface ReadResult {
  /** Empty when the provider reported the resource gone. */
  id: string;
  properties: PropertyMap;
  /** Only present when the provider's `read` returned `inputs`. */
  inputs?: PropertyMap;
}

export interface ProviderHost {
  readonly port: number;
  /** The host process's id, for tests that kill it in the middle of an operation; wrappers may leave it out. */
  readonly pid?: number;
  /** Milliseconds from spawn until the port was printed. */
  readonly startupMs: number;
  /** Host output after the port line (stdout and stderr): what the engine would show as diagnostics. */
  readonly logs: readonly string[];
  pluginVersion(): Promise<string>;
  configure(config: Record<string, unknown>, opts?: ConfigureOptions): Promise<ConfigureResult>;
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(id: string, urn: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult>;
  create(urn: string, props: PropertyMap, opts?: { preview?: boolean }): Promise<{ id: string; properties: PropertyMap }>;
  read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    opts?: { preview?: boolean; oldInputs?: PropertyMap },
  ): Promise<{ properties: PropertyMap }>;
  delete(id: string, urn: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void>;
  close(): Promise<void>;
}

/** The engine passes its own gRPC address; this host only checks that one is present and never dials it. */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:0";

/** Resolves the host script from the program directory, as the `pulumi-resource-pulumi-nodejs` wrapper does. */
function resolveHostScript(cwd: string): string {
  return resolveSdkModule("@pulumi/pulumi/cmd/dynamic-provider", cwd);
}

export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const started = Date.now();
  const child = spawn(process.execPath, [resolveHostScript(options.cwd), UNUSED_ENGINE_ADDRESS], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const port = await readPort(child, logs, options.startTimeoutMs ?? 15_000);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new HostClient(child, client, port, Date.now() - started, logs);
}

class HostClient implements ProviderHost {
  private supportsPreview = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    readonly port: number,
    readonly startupMs: number,
    readonly logs: string[],
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  async pluginVersion(): Promise<string> {
    const info = await unary<plugproto.PluginInfo>("GetPluginInfo", (cb) => this.client.getPluginInfo(new Empty(), cb));
    return info.getVersion();
  }

  async configure(config: Record<string, unknown>, opts: ConfigureOptions = {}): Promise<ConfigureResult> {
    const secretKeys = new Set(opts.secretKeys ?? []);
    const args: Record<string, unknown> = {};
    const req = new provproto.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true);
    for (const [key, value] of Object.entries(config)) {
      args[key] = secretKeys.has(key) ? secret(value as never) : value;
      // Legacy string map; this host reads only `args`.
      req.getVariablesMap().set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    req.setArgs(toStruct(args));
    const res = await unary<provproto.ConfigureResponse>("Configure", (cb) => this.client.configure(req, cb));
    this.supportsPreview = res.getSupportspreview();
    return {
      acceptSecrets: res.getAcceptsecrets(),
      supportsPreview: res.getSupportspreview(),
      acceptResources: res.getAcceptresources(),
      acceptOutputs: res.getAcceptoutputs(),
    };
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new provproto.CheckRequest().setUrn(urn).setOlds(plain(olds)).setNews(plain(news));
    withNameAndType(req, urn);
    const res = await unary<provproto.CheckResponse>("Check", (cb) => this.client.check(req, cb));
    return {
      inputs: annotateSecrets(fromStruct(res.getInputs()), news),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult> {
    const req = new provproto.DiffRequest().setId(id).setUrn(urn).setOlds(plain(olds)).setNews(plain(news));
    if (oldInputs) req.setOldInputs(plain(oldInputs));
    withNameAndType(req, urn);
    const res = await unary<provproto.DiffResponse>("Diff", (cb) => this.client.diff(req, cb));
    return {
      changes: diffChanges(res.getChanges()),
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      diffs: res.getDiffsList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: PropertyMap, opts: { preview?: boolean } = {}) {
    // The host ignores CreateRequest.preview and would really create; the engine never asks it to because
    // Configure answered supportsPreview=false, and previews a create as "outputs = inputs, id unknown".
    if (opts.preview && !this.supportsPreview) return { id: "", properties: props };
    const req = new provproto.CreateRequest().setUrn(urn).setProperties(plain(props)).setPreview(!!opts.preview);
    withNameAndType(req, urn);
    const res = await unary<provproto.CreateResponse>("Create", (cb) => this.client.create(req, cb));
    return { id: res.getId(), properties: annotateSecrets(fromStruct(res.getProperties()), props) };
  }

  async read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    const req = new provproto.ReadRequest().setId(id).setUrn(urn).setProperties(plain(props));
    if (inputs) req.setInputs(plain(inputs));
    withNameAndType(req, urn);
    const res = await unary<provproto.ReadResponse>("Read", (cb) => this.client.read(req, cb));
    const result: ReadResult = { id: res.getId(), properties: annotateSecrets(fromStruct(res.getProperties()), props) };
    const newInputs = res.getInputs();
    if (newInputs) result.inputs = annotateSecrets(fromStruct(newInputs), inputs ?? props);
    return result;
  }

  async update(id: string, urn: string, olds: PropertyMap, news: PropertyMap, opts: { preview?: boolean; oldInputs?: PropertyMap } = {}) {
    if (opts.preview && !this.supportsPreview) return { properties: news }; // see create()
    const req = new provproto.UpdateRequest().setId(id).setUrn(urn).setOlds(plain(olds)).setNews(plain(news));
    req.setPreview(!!opts.preview);
    if (opts.oldInputs) req.setOldInputs(plain(opts.oldInputs));
    withNameAndType(req, urn);
    const res = await unary<provproto.UpdateResponse>("Update", (cb) => this.client.update(req, cb));
    return { properties: annotateSecrets(fromStruct(res.getProperties()), news) };
  }

  async delete(id: string, urn: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    const req = new provproto.DeleteRequest().setId(id).setUrn(urn).setProperties(plain(props));
    if (oldInputs) req.setOldInputs(plain(oldInputs));
    withNameAndType(req, urn);
    await unary<Empty>("Delete", (cb) => this.client.delete(req, cb));
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.kill("SIGTERM");
    await exited;
  }
}

type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

function unary<Res>(method: string, invoke: (cb: Callback<Res>) => void): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(grpcErrorToHostError(method, err)) : resolve(res)));
  });
}

function diffChanges(changes: provproto.DiffResponse.DiffChanges): DiffResult["changes"] {
  const { DIFF_SOME, DIFF_NONE } = provproto.DiffResponse.DiffChanges;
  return changes === DIFF_SOME ? "some" : changes === DIFF_NONE ? "none" : "unknown";
}

/** What the engine sends a provider that does not accept secrets. */
function plain(props: PropertyMap) {
  return toStruct(revealSecrets(props));
}

/** Newer engines also send name and type; this host ignores them, but a faithful request carries them. */
function withNameAndType(req: { setName(v: string): unknown; setType(v: string): unknown }, urn: string): void {
  const parts = urn.split("::");
  req.setName(parts[3] ?? "");
  req.setType((parts[2] ?? "").split("$").pop() ?? "");
}

async function readPort(child: ChildProcess, logs: string[], timeoutMs: number): Promise<number> {
  let stdout = "";
  let stderr = "";
  let port: number | undefined;
  return new Promise<number>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`dynamic provider host ${why}; stderr: ${stderr.trim() || "(empty)"}`));
    };
    const timer = setTimeout(() => fail(`printed no port within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      logs.push(...chunk.toString().split("\n").filter(Boolean));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split("\n");
      stdout = lines.pop() ?? "";
      for (const line of lines) {
        if (port === undefined) {
          port = Number(line.trim());
          clearTimeout(timer);
          resolve(port);
        } else if (line) {
          logs.push(line);
        }
      }
    });
    child.once("exit", (code, signal) => {
      if (port === undefined) fail(`exited (${signal ?? code}) before printing its port`);
    });
  });
}
