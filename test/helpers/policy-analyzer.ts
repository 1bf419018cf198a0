/**
 * Runs a policy pack exactly as `pulumi preview --policy-pack <dir>` does and speaks the Analyzer gRPC protocol to
 * it: `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with the pack directory as cwd, the
 * stack identity and stack config in the environment, then the printed port, GetAnalyzerInfo, Configure and one
 * Analyze per resource. For tests, and for a harness that consults the pack before each resource write.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { resolveSdkModule } from "../harness/sdk-module";
import { startStubEngine, type StubEngine } from "./policy-engine-stub";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type Severity = "" | "low" | "medium" | "high" | "critical";

export interface StartPolicyPackOptions {
  packDir: string;
  stack: string;
  project?: string;
  organization?: string;
  /** Stack config as the engine passes it (`PULUMI_CONFIG`), e.g. `{ "platos:environment": "prod" }`. */
  config?: Record<string, string>;
  /** Policy config sent with Configure: per policy, an enforcement level and/or config properties. */
  policyConfig?: PolicyConfig;
  /** `PULUMI_NODEJS_DRY_RUN`: true for preview (the default). */
  dryRun?: boolean;
  startTimeoutMs?: number;
}

export type PolicyConfig = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

/** One resource as the engine sends it: properties in wire form (secret envelopes, unknown sentinels). */
export interface AnalyzedResource {
  type: string;
  name: string;
  /** Defaults to `urn:pulumi:<stack>::<project>::<type>::<name>`. */
  urn?: string;
  properties: Record<string, unknown>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  message: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  urn: string;
}

export interface PolicySummary {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  remediationSteps: string;
  configSchema: Record<string, unknown>;
}

export interface PolicyPackInfo {
  name: string;
  version: string;
  policies: PolicySummary[];
}

export interface RunningPolicyPack {
  readonly info: PolicyPackInfo;
  /** From spawn to a served GetAnalyzerInfo. */
  readonly startupMs: number;
  /** The pack's stdout (past the port) and stderr lines, and what it logged through the engine. */
  readonly logs: readonly string[];
  urnOf(type: string, name: string): string;
  /** Replaces the policy config, as the engine does before analyzing. */
  configure(policyConfig: PolicyConfig): Promise<void>;
  analyze(resource: AnalyzedResource): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

/** `policy:level` of each diagnostic, sorted: what a test usually compares. */
export function verdictsOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();
}

/** Call inside a `describe`: the pack runs from its `before` to its `after`; `pack()` is the running one. */
export function packPerSuite(options: StartPolicyPackOptions): () => RunningPolicyPack {
  let running: RunningPolicyPack | undefined;
  before(async () => {
    running = await startPolicyPack(options);
  });
  after(() => running?.close());
  return () => running!;
}

export async function startPolicyPack(options: StartPolicyPackOptions): Promise<RunningPolicyPack> {
  const started = Date.now();
  const engine = await startStubEngine();
  const project = options.project ?? "platos";
  const child = spawn(process.execPath, [runPolicyPackScript(options.packDir), engine.address, options.packDir], {
    cwd: options.packDir,
    env: {
      ...process.env,
      PULUMI_NODEJS_STACK: options.stack,
      PULUMI_NODEJS_PROJECT: project,
      PULUMI_NODEJS_ORGANIZATION: options.organization ?? "organization",
      PULUMI_NODEJS_DRY_RUN: String(options.dryRun ?? true),
      PULUMI_CONFIG: JSON.stringify(options.config ?? {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  try {
    const port = await readPort(child, output, options.startTimeoutMs ?? 60_000);
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = toPackInfo(await unary<analyzerproto.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb)));
    const pack = new PolicyPackClient(child, client, engine, info, Date.now() - started, output, options.stack, project);
    await pack.configure(options.policyConfig ?? {});
    return pack;
  } catch (err) {
    child.kill();
    await engine.close();
    throw new Error(`policy pack in ${options.packDir} did not start: ${(err as Error).message}\n${output.join("\n")}`);
  }
}

class PolicyPackClient implements RunningPolicyPack {
  constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerrpc.AnalyzerClient,
    private readonly engine: StubEngine,
    readonly info: PolicyPackInfo,
    readonly startupMs: number,
    private readonly output: string[],
    private readonly stack: string,
    private readonly project: string,
  ) {}

  get logs(): readonly string[] {
    return [...this.output, ...this.engine.logs];
  }

  urnOf(type: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  async configure(policyConfig: PolicyConfig): Promise<void> {
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [policy, { enforcementLevel, ...properties }] of Object.entries(policyConfig)) {
      const config = new analyzerproto.PolicyConfig().setProperties(Struct.fromJavaScript(properties as never));
      if (enforcementLevel) config.setEnforcementlevel(ENFORCEMENT_CODES[enforcementLevel]);
      req.getPolicyconfigMap().set(policy, config);
    }
    await unary((cb) => this.client.configure(req, cb));
  }

  async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
    const req = new analyzerproto.AnalyzeRequest()
      .setType(resource.type)
      .setName(resource.name)
      .setUrn(resource.urn ?? this.urnOf(resource.type, resource.name))
      .setProperties(Struct.fromJavaScript(resource.properties as never))
      // Without options the SDK answers "A more recent version of the Pulumi CLI is required".
      .setOptions(new analyzerproto.AnalyzerResourceOptions());
    const res = await unary<analyzerproto.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
    return res.getDiagnosticsList().map(toDiagnostic);
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill();
      await exited;
    }
    await this.engine.close();
  }
}

/** As the engine's Node language host finds it: from the pack directory, so an installed pack runs its project's SDK. */
function runPolicyPackScript(packDir: string): string {
  return resolveSdkModule("@pulumi/pulumi/cmd/run-policy-pack", packDir);
}

/** The first stdout line that is a port number; every other line goes to `output`. */
function readPort(child: ChildProcess, output: string[], timeoutMs: number): Promise<number> {
  readline.createInterface({ input: child.stderr! }).on("line", (line) => output.push(line));
  return new Promise((resolve, reject) => {
    let port: number | undefined;
    const timer = setTimeout(() => reject(new Error(`no port printed within ${timeoutMs} ms`)), timeoutMs);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (port === undefined && /^\d+$/.test(line.trim())) {
        port = Number(line.trim());
        clearTimeout(timer);
        resolve(port);
      } else {
        output.push(line);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${signal ?? code} before printing a port`));
    });
  });
}

function unary<T>(call: (callback: (err: grpc.ServiceError | null, res: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));
}

const ENFORCEMENT_CODES: Record<EnforcementLevel, analyzerproto.EnforcementLevel> = {
  advisory: analyzerproto.EnforcementLevel.ADVISORY,
  mandatory: analyzerproto.EnforcementLevel.MANDATORY,
  disabled: analyzerproto.EnforcementLevel.DISABLED,
  remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};

const SEVERITIES: Record<analyzerproto.PolicySeverity, Severity> = {
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "",
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerproto.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

function enforcementLevelOf(code: analyzerproto.EnforcementLevel): EnforcementLevel {
  const level = (Object.keys(ENFORCEMENT_CODES) as EnforcementLevel[]).find((name) => ENFORCEMENT_CODES[name] === code);
  if (!level) throw new Error(`unknown enforcement level code ${code}`);
  return level;
}

function toDiagnostic(d: analyzerproto.AnalyzeDiagnostic): Diagnostic {
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    message: d.getMessage(),
    description: d.getDescription(),
    enforcementLevel: enforcementLevelOf(d.getEnforcementlevel()),
    severity: SEVERITIES[d.getSeverity()],
    urn: d.getUrn(),
  };
}

function toPackInfo(info: analyzerproto.AnalyzerInfo): PolicyPackInfo {
  return {
    name: info.getName(),
    version: info.getVersion(),
    policies: info.getPoliciesList().map((p) => ({
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: enforcementLevelOf(p.getEnforcementlevel()),
      severity: SEVERITIES[p.getSeverity()],
      remediationSteps: p.getRemediationSteps(),
      configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
    })),
  };
}
