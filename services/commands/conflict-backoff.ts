/**
 * Between retries after a conflict with another writer (a replica, or a request on this one): a
 * short random wait that grows with the attempt, so the writers drift apart instead of colliding
 * again at once.
 */
export const conflictBackoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * Math.min(100, 2 ** attempt))));
