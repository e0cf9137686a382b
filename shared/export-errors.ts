// Why an export was not rendered (HTTP 503, with one of these codes): the server renders
// documents in worker threads, a few at a time and each within a time budget
// (server/export/export-pool.ts). The client explains each in the reader's language.

/** Every export thread is busy and the queue is full. */
export const EXPORT_BUSY = 'export_busy';
/** Rendering took longer than the server's time budget (EXPORT_TIME_BUDGET_MS). */
export const EXPORT_TOO_LONG = 'export_too_long';
/** Rendering needed more memory than an export thread may use. */
export const EXPORT_FAILED = 'export_failed';
