/**
 * A real PostgreSQL server for the suites that run against one. In order: PLATOS_TEST_DATABASE_URL (its role
 * needs CREATEDB); else a throwaway cluster started from initdb/pg_ctl found on PATH or in
 * /usr/lib/postgresql/<version>/bin (as root, run as the `postgres` user, or `nobody`), stopped when the
 * process exits; else no server, with the reason, so the caller can skip.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Client } from "pg";

export type PostgresServer = { readonly url: string } | { readonly unavailable: string };

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

const BINARIES = ["initdb", "pg_ctl", "postgres"];

function findBinDir(): string | undefined {
  const versioned = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const onPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir.length > 0);
  return [...versioned, ...onPath].find((dir) => BINARIES.every((binary) => existsSync(join(dir, binary))));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Who runs the cluster: PostgreSQL refuses to run as root. */
function clusterUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error("running as root and found neither a postgres nor a nobody user to run PostgreSQL as");
}

async function startThrowawayCluster(binDir: string): Promise<PostgresServer> {
  const user = clusterUser();
  const dir = mkdtempSync(join(tmpdir(), "platos-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (binary: string, args: string[]) => {
    const command = user ? "runuser" : join(binDir, binary);
    const argv = user ? ["-u", user.name, "--", join(binDir, binary), ...args] : args;
    return spawnSync(command, argv, { encoding: "utf8", timeout: 60_000 });
  };
  const data = join(dir, "data");
  const init = run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `initdb failed: ${(init.stderr || init.stdout).trim().split("\n").slice(-2).join(" ")}` };
  }
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "30", "start"]);
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `pg_ctl start failed: ${(start.stderr || start.stdout).trim()}` };
  }
  process.once("exit", () => {
    run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

let server: Promise<PostgresServer> | undefined;

/** The server for this test process, started once. */
export function postgresServer(): Promise<PostgresServer> {
  server ??= (async (): Promise<PostgresServer> => {
    const configured = process.env.PLATOS_TEST_DATABASE_URL;
    if (configured) return { url: configured };
    const binDir = findBinDir();
    if (!binDir) return { unavailable: "no PLATOS_TEST_DATABASE_URL and no initdb/pg_ctl/postgres on PATH or in /usr/lib/postgresql/*/bin" };
    return startThrowawayCluster(binDir);
  })();
  return server;
}

async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on `serverUrl`, and a way to drop it. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `platos_test_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
