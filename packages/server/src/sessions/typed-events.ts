/** A handler of one event; the publisher waits for it, and its failure is the publisher's failure. */
export type EventHandler<T> = (event: T) => Promise<void> | void;

/**
 * A small typed publisher: `on` subscribes to one event name of the map `E`, `emit` calls the
 * subscribers in subscription order and resolves once each has finished. A subscriber that throws stops
 * the emit and the error reaches the publisher, so an event whose record failed is never acknowledged.
 */
export class TypedEvents<E extends object> {
  private readonly handlers = new Map<keyof E, EventHandler<never>[]>();

  /** Subscribes `handler` to `name`; returns the unsubscribe function. */
  on<K extends keyof E>(name: K, handler: EventHandler<E[K]>): () => void {
    const list = (this.handlers.get(name) ?? []) as EventHandler<E[K]>[];
    this.handlers.set(name, [...list, handler] as EventHandler<never>[]);
    return () => {
      const now = (this.handlers.get(name) ?? []) as EventHandler<E[K]>[];
      this.handlers.set(name, now.filter((h) => h !== handler) as EventHandler<never>[]);
    };
  }

  async emit<K extends keyof E>(name: K, event: E[K]): Promise<void> {
    for (const handler of (this.handlers.get(name) ?? []) as EventHandler<E[K]>[]) await handler(event);
  }
}
