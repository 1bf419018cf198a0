import type { FastifyInstance } from "fastify";
import type { Store } from "../store";

declare module "fastify" {
  interface FastifyInstance {
    /** The emulator's storage; its creator opens and closes it. */
    store: Store;
  }
}

export function storePlugin(app: FastifyInstance, store: Store): void {
  app.decorate("store", store);
}
