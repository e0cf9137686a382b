// Messages between the bench coordinator and its client processes (types only).
// Each client process owns a slice of the clients: y-websocket boards, Socket.IO
// sockets, or both. Everything goes through Node's IPC with `serialization: 'advanced'`,
// so sample arrays travel as typed arrays.

export type BoardProtocol = 'y-websocket' | 'hocuspocus';

export interface BoardClientPlan {
  token: string;
  name: string;
  /** The global writer index of a client that types; null for a client that only reads. */
  writer: number | null;
  /** A stock y-websocket client with a Y.Doc, or a light one (light-client.ts). */
  kind: 'stock' | 'light';
}

export interface BoardPlan {
  /** `<workshopId>/<groupId>` */
  docName: string;
  /** The board's writers, across every client process. */
  writers: number[];
  clients: BoardClientPlan[];
}

export interface ClientPlan {
  /** ws://host:port (the board path /yjs is added). */
  wsUrl: string;
  /** y-websocket's messages, or Hocuspocus's (the same, each prefixed with the board's name, after an Auth message). */
  protocol: BoardProtocol;
  /** http://host:port for Socket.IO, or null when the server has none (the reference). */
  httpUrl: string | null;
  boards: BoardPlan[];
  /** Tokens of Socket.IO clients to open. */
  sockets: string[];
  /** Each socket sends a clock:ping this often during the load (0: never). */
  pingEveryMs: number;
  /** How many connections a process opens at once. */
  connectConcurrency: number;
  /** Cluster runs: the writers connected to the same node as this process; measured latencies are also split near/far by them. */
  nearWriters?: number[];
}

export interface StartLoad {
  /** The stamps' clock origin, epoch ms. */
  t0: number;
  /** Epoch ms at which writers start. */
  startAt: number;
  /** Typing before the measured window (JIT, TCP and caches warm up); its latencies are kept apart. */
  warmupMs: number;
  /** The measured window, after the warm-up. */
  durationMs: number;
  /** Updates a second per writer. */
  rate: number;
  /**
   * Epoch ms that splits the measured window in two: stamps sent from then on are
   * reported apart (`splitLatencies`), to compare the board before and during something.
   */
  splitAt?: number;
  /** Every Socket.IO client votes (plenary-vote scenario). */
  vote?: VotePlan;
}

/** Dot voting by every socket: `dots` `vote:set`s each, at random moments between startAt and endAt, one at a time. */
export interface VotePlan {
  startAt: number;
  endAt: number;
  dots: number;
  /** The cards to vote on: [groupId, cardId]. */
  cards: Array<[groupId: string, cardId: string]>;
}

export interface VoteResults {
  /** `vote:set` sent → its acknowledgement, ms (accepted ones). */
  acks: Float64Array;
  /** `vote:set` sent → the voter's `vote:ballot` holding the dot, ms. */
  ballots: Float64Array;
  sent: number;
  refused: number;
  timedOut: number;
  /** The first refusals' messages. */
  refusals: string[];
  /** `vote:progress` and `vote:ranking` events received (the room's throttled view). */
  progressEvents: number;
  rankingEvents: number;
  /** Their payloads' JSON length, summed over every socket. */
  rankingBytes: number;
}

/** A join storm's share for one process (join-clients.ts). */
export interface JoinPlan {
  httpUrl: string;
  wsUrl: string;
  workshopId: string;
  code: string;
  /** Each newcomer: its name, group, and the moment (epoch ms) it asks to join. */
  joins: Array<{ name: string; groupId: string; at: number }>;
}

/** Per newcomer who made it, ms: join request → board synced and workshop snapshot, and each step. */
export interface JoinResult {
  total: Float64Array;
  /** The HTTP join alone. */
  http: Float64Array;
  /** After the join: the Socket.IO connection until its snapshot. */
  socket: Float64Array;
  /** After the join: the board until sync step 2. */
  board: Float64Array;
  /** Characters of the Socket.IO messages the newcomers received, in all. */
  socketChars: number;
  failed: number;
  failures: string[];
}

export type ToClient =
  | { type: 'connect'; plan: ClientPlan }
  | { type: 'join'; plan: JoinPlan }
  | { type: 'start'; load: StartLoad }
  /** Every writer's final count: wait until every client holds them, then report. */
  | { type: 'finish'; expected: Array<[writer: number, sent: number]>; timeoutMs: number }
  | { type: 'close' };

export interface ErrorCounts {
  /** Board sockets closed or failed after they had synced. */
  boardCloses: number;
  boardErrors: number;
  /** Socket.IO disconnects and connect errors after the first connect. */
  socketDisconnects: number;
  socketConnectErrors: number;
  pingTimeouts: number;
}

export interface ClientResult {
  /** Send → arrival at this process's clients, ms, for stamps sent in the measured window. */
  latencies: Float64Array;
  /** The same for stamps sent during the warm-up. */
  warmupLatencies: Float64Array;
  /** The same for stamps sent after `StartLoad.splitAt` (then not in `latencies`). */
  splitLatencies: Float64Array;
  /** With `ClientPlan.nearWriters`: the measured latencies from writers on this process's node, and from the others. */
  nearLatencies: Float64Array;
  farLatencies: Float64Array;
  vote: VoteResults;
  /** Arrivals of `session:state` (epoch ms), with the phase index they announce. */
  timer: Array<[phaseIndex: number, arrivedAt: number]>;
  /** clock:ping round trips, ms. */
  pings: Float64Array;
  presenceUpdates: number;
  /** Characters of the Socket.IO messages the sockets received, in all. */
  socketChars: number;
  /** Stamps some client lacks at the end (sum over clients and writers). */
  missing: number;
  duplicates: number;
  /** Some of what is missing, for the report. */
  missingDetail: string[];
  /** Per board, each client's digest. */
  digests: Array<[docName: string, digest: string]>;
  errors: ErrorCounts;
  /** This process's event-loop delay over the load, ms: a busy load generator shows here. */
  loopDelay: { p50: number; p99: number; max: number };
  /** CPU seconds this process used during the load. */
  cpuSeconds: number;
}

export type FromClient =
  /** `cards`: each writer's own card, [docName, cardId]. */
  | { type: 'connected'; connectMs: Float64Array; boards: number; sockets: number; cards: Array<[docName: string, cardId: string]> }
  | { type: 'sent'; counts: Array<[writer: number, sent: number]> }
  | { type: 'result'; result: ClientResult }
  | { type: 'joined'; result: JoinResult; errors: ErrorCounts }
  | { type: 'failed'; message: string };
