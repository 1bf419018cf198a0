/**
 * Kills the provider host with SIGKILL the moment Platos has done the nth armed write, before its answer leaves:
 * the object exists on the server and the provider never hears of it. Other calls in flight die with the host.
 * Give `install` to the emulator and `instrument` to the stack harness whose host it kills.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { ProviderHost } from "../harness/provider-host";
import type { RequestMatcher } from "../helpers/platos-requests";
import type { HarnessInstrument } from "./stack-harness";

export class HostKiller {
  private host: ProviderHost | undefined;
  private armed: { matches: RequestMatcher; left: number } | undefined;
  kills = 0;

  readonly instrument: HarnessInstrument = { host: (host) => (this.host = host) };

  arm(matches: RequestMatcher, nth = 1): void {
    this.armed = { matches, left: nth };
  }

  readonly install = (app: FastifyInstance): void => {
    app.addHook("onSend", async (request, reply, payload) => {
      if (!this.armed || reply.statusCode >= 300 || !this.armed.matches(request) || --this.armed.left > 0) return payload;
      this.armed = undefined;
      process.kill(this.host!.pid!, "SIGKILL");
      this.kills++;
      await sleep(100); // the answer leaves only once the host is gone
      return payload;
    });
  };
}
