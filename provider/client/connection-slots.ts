/**
 * The connections of one pool, handed out in order. The transport takes a slot before it sends, so a request
 * never queues inside undici where its attempt timer would already be running.
 */
export type ReleaseSlot = () => void;

export class ConnectionSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async take(): Promise<ReleaseSlot> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
