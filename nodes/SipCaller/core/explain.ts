/**
 * Words the trigger's explanations share (durations, event type labels), and the bound on how
 * often a refusal is reported in production. The explanations themselves are rows of the outcome
 * table (outcomes.ts).
 */
import { ALL_EVENTS } from './options';

/**
 * "2 days 3 hours", "1 day 1 minute", "40 seconds": the two largest units that are not zero, so
 * that an age just over a limit never reads as the limit itself.
 */
export function humanDuration(seconds: number): string {
	const units: Array<[string, number]> = [
		['day', 86_400],
		['hour', 3_600],
		['minute', 60],
		['second', 1],
	];
	let rest = Math.round(Math.abs(seconds));
	const parts: string[] = [];
	for (const [name, size] of units) {
		const count = Math.floor(rest / size);
		rest -= count * size;
		if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
	}
	return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** SIP Caller's event type names as the Events list words them: CallEnded → Call Ended. */
export function eventLabel(type: string): string {
	return type === ALL_EVENTS ? 'All Events' : type.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** How often a refusal of one kind is reported per trigger: at most once per window. */
export const REPORT_WINDOW_SECONDS = 5 * 60;

export interface ReportVerdict {
	/** True: report this refusal now (a failed execution and a warn log line). */
	report: boolean;
	/** With report: how many refusals of this kind were not reported since the last report. */
	unreported: number;
	/** With report: when that last report was (epoch milliseconds), if there was one. */
	lastReportedAt?: number;
}

/**
 * The bound on reports: one per key (trigger and reason) per window, counting the rest so that the
 * next report says how many it stands for. Whoever floods the URL (an attacker can always send
 * forged requests) costs n8n at most one failed execution per trigger, reason and window.
 * Memory is bounded too: at most `maxKeys` keys, the oldest dropped first.
 */
export class RefusalReports {
	/** Per key: when it was last reported (none yet: undefined), and what was not reported since. */
	private readonly entries = new Map<string, { reportedAt?: number; unreported: number }>();

	constructor(
		readonly windowSeconds = REPORT_WINDOW_SECONDS,
		private readonly maxKeys = 1_000,
	) {}

	/**
	 * Whether to report a refusal of this key now; counts it either way. With `mayReport` false (a
	 * refusal that must not raise an alarm of its own) it is only counted, for the next report.
	 */
	admit(key: string, now: number, mayReport = true): ReportVerdict {
		const entry = this.entries.get(key);
		const windowMs = this.windowSeconds * 1000;
		const reportedAt = entry?.reportedAt;
		// A clock stepped back counts as a new window too: never silent for longer than promised.
		const inWindow = reportedAt !== undefined && now >= reportedAt && now - reportedAt < windowMs;
		if (entry && (inWindow || !mayReport)) {
			entry.unreported++;
			return { report: false, unreported: entry.unreported };
		}
		if (!mayReport) {
			this.remember(key, { unreported: 1 });
			return { report: false, unreported: 1 };
		}
		const verdict: ReportVerdict = { report: true, unreported: entry?.unreported ?? 0 };
		if (reportedAt !== undefined) verdict.lastReportedAt = reportedAt;
		this.remember(key, { reportedAt: now, unreported: 0 });
		return verdict;
	}

	/** Re-inserted so the Map's order stays oldest first; the oldest key goes beyond maxKeys. */
	private remember(key: string, entry: { reportedAt?: number; unreported: number }): void {
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > this.maxKeys) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
	}
}

/** The sentence a report adds about the refusals it stands for. */
export function reportCountNote(verdict: ReportVerdict, windowSeconds: number): string {
	const next = `Further refusals of this kind are answered but not recorded as executions for the next ${humanDuration(windowSeconds)}; the next report counts them.`;
	if (verdict.unreported === 0) return next;
	const since =
		verdict.lastReportedAt !== undefined
			? ` since ${new Date(verdict.lastReportedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`
			: '';
	return `This report also stands for ${verdict.unreported} more refusal${verdict.unreported === 1 ? '' : 's'} of this kind${since} that were answered without an execution of their own. ${next}`;
}

/** The count in a few words, for the error's message: "and 37 more like it since 2026-12-02 10:04:00 UTC, …". */
export function reportCountSummary(verdict: ReportVerdict, windowSeconds: number): string {
	const since =
		verdict.lastReportedAt !== undefined
			? ` since ${new Date(verdict.lastReportedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`
			: '';
	return `and ${verdict.unreported} more like it${since}, answered without an execution of their own: one report per ${humanDuration(windowSeconds)}`;
}
