// The apply locks this process holds right now, so a signal handler (the CLI's SIGINT/SIGTERM) can
// release them before the process exits. Kept free of imports: the CLI's entry point loads it at start-up.

const releasers = new Set<() => Promise<void>>();

/** Registers a held lock's release; returns the function that unregisters it (called when it is released). */
export function registerHeldLock(release: () => Promise<void>): () => void {
  releasers.add(release);
  return () => void releasers.delete(release);
}

/** Whether this process holds any apply lock. */
export function holdsLocks(): boolean {
  return releasers.size > 0;
}

/** Releases every lock this process holds (each release deals with its own failures). */
export async function releaseHeldLocks(): Promise<void> {
  await Promise.allSettled([...releasers].map((release) => release()));
}
