// What the session service needs to share a workshop's session across nodes (cluster
// mode; absent on a single node, which pays nothing for it): one command at a time per
// workshop among all nodes, and a way to tell the others what changed.
export interface SessionSync {
  /** Runs `task` while no other node runs one on this workshop. */
  exclusive<T>(workshopId: string, task: () => Promise<T>): Promise<T>;
  /** Tells the other nodes the workshop's record is now `record` (revision `rev`); resolves once told, or given up (never rejects). */
  changed(workshopId: string, rev: number, record: string): Promise<void>;
}
