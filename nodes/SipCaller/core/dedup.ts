/**
 * Duplicate deliveries. SIP Caller retries a delivery it did not get a 2xx for, with the same event
 * id. The ledger records, per trigger, what became of each id it accepted: still running (claimed
 * by a delivery whose answer is not sent yet) or done (answered 2xx). The rules that make this
 * safe:
 * - an id is claimed in the same synchronous step that checks it, so two deliveries of one id in
 *   one process cannot both start a run;
 * - an answer other than 2xx releases the id (the workflow failed, or n8n could not start it), so
 *   SIP Caller's retry runs it: never "duplicate" for an event that did not run;
 * - so does the caller hanging up before the answer: whether that run will ever finish is unknown
 *   (measured: n8n in queue mode never answered deliveries whose worker was killed), and a retry
 *   blocked until an answer that never comes would be a lost event;
 * - every operation costs the same with 10 or 100,000 ids (a Map in insertion order; the oldest
 *   entry is the first one), and nothing is written anywhere per event.
 * The ledger lives in the memory of one process (see the adapter, ../trigger/delivery-ledger.ts,
 * and docs/delivery.md, "When an event can run twice or be lost", for what that means across restarts and processes).
 */

/** What the ledger knows of an earlier delivery of an event id. */
export type EarlierDelivery = 'none' | 'running' | 'done';

/** How long ids are remembered when the trigger has no maximum event age: 7 days. */
export const DEFAULT_DEDUP_WINDOW_SECONDS = 7 * 24 * 60 * 60;
/** At most this many ids per trigger (the newest): about 15 MB of memory when full. */
export const MAX_REMEMBERED_EVENTS = 100_000;
/**
 * A claim whose answer never came (n8n never finished the request) stops blocking retries after
 * this long: at-least-once wins over waiting for an answer that will not come.
 */
export const RUNNING_TIMEOUT_SECONDS = 60 * 60;

/**
 * How long a done id is remembered: for as long as a delivery of its event could still be
 * accepted. An event signed at `t` is accepted until `t + maxAge`, and `t` is at most `maxFuture`
 * ahead of the answer, so `maxAge + maxFuture` after the answer covers every acceptable redelivery
 * (remembering only `maxAge` would forget an event signed ahead of n8n's clock while it could still
 * be accepted, and run it twice). With no age limit: 7 days.
 */
export function dedupWindowSeconds(maxAgeSeconds = 0, maxFutureSeconds = 0): number {
	return maxAgeSeconds > 0
		? maxAgeSeconds + Math.max(0, maxFutureSeconds)
		: DEFAULT_DEDUP_WINDOW_SECONDS;
}

interface Entry {
	/** The claim that owns the entry: a later claim of the same id makes an older answer moot. */
	claim: number;
	running: boolean;
	/** When the claim was made (running) or answered (done), epoch ms. */
	at: number;
}

/** Expired entries dropped per claim, at most: keeps every call O(1) however much expired. */
const SWEEP_PER_CLAIM = 4;

export class DeliveryLedger {
	private readonly entries = new Map<string, Entry>();
	private claims = 0;

	constructor(
		/** How long a done id is remembered; may change between deliveries (the trigger's options). */
		public windowSeconds: number = DEFAULT_DEDUP_WINDOW_SECONDS,
		private readonly maxEntries: number = MAX_REMEMBERED_EVENTS,
		private readonly runningTimeoutSeconds: number = RUNNING_TIMEOUT_SECONDS,
	) {}

	/** Ids remembered (running and done). */
	get size(): number {
		return this.entries.size;
	}

	/** What became of an earlier delivery of `eventId`, as of `nowMs`. */
	earlierDelivery(eventId: string, nowMs: number): EarlierDelivery {
		const entry = this.entries.get(eventId);
		if (!entry || this.expired(entry, nowMs)) return 'none';
		return entry.running ? 'running' : 'done';
	}

	/**
	 * Claims `eventId` for a delivery that is about to start a run; returns the claim to settle.
	 * Call it in the same synchronous step as `earlierDelivery`.
	 */
	claim(eventId: string, nowMs: number): number {
		const claim = ++this.claims;
		this.entries.delete(eventId);
		this.entries.set(eventId, { claim, running: true, at: nowMs });
		this.sweep(nowMs);
		return claim;
	}

	/**
	 * The claimed delivery was answered: `answeredOk` (2xx) marks the id done, anything else
	 * releases it so that a retry runs. An answer for a claim that was since replaced changes
	 * nothing; a 2xx for a claim that was released (its caller hung up) still marks the id done,
	 * since the event did run.
	 */
	settle(eventId: string, claim: number, answeredOk: boolean, nowMs: number): void {
		const entry = this.entries.get(eventId);
		if (entry && entry.claim !== claim) return;
		if (entry) this.entries.delete(eventId);
		if (answeredOk) this.entries.set(eventId, { claim, running: false, at: nowMs });
	}

	/**
	 * The caller hung up before the claimed delivery was answered (SIP Caller's timeout): nobody can
	 * tell any more whether that run will finish, so its retries are let through (at-least-once).
	 */
	release(eventId: string, claim: number): void {
		const entry = this.entries.get(eventId);
		if (entry && entry.claim === claim && entry.running) this.entries.delete(eventId);
	}

	private expired(entry: Entry, nowMs: number): boolean {
		const limit = entry.running ? this.runningTimeoutSeconds : this.windowSeconds;
		return nowMs - entry.at > limit * 1000;
	}

	/** Drops the oldest entries beyond the size limit, and a few expired ones from the front. */
	private sweep(nowMs: number): void {
		let dropped = 0;
		for (const [id, entry] of this.entries) {
			const overLimit = this.entries.size > this.maxEntries;
			if (!overLimit && (dropped >= SWEEP_PER_CLAIM || !this.expired(entry, nowMs))) break;
			this.entries.delete(id);
			dropped++;
		}
	}
}
