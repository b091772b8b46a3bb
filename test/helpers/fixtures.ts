import { readFileSync } from 'fs';
import { join } from 'path';

import { EVENT_TYPES, type EventType } from '../../nodes/SipCaller/core';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** The seed's sample payload for an event type, byte for byte. */
export function fixtureBytes(type: EventType): Buffer {
	return readFileSync(join(FIXTURES_DIR, `${type}.json`));
}

export function fixtureJson(type: EventType): Record<string, unknown> {
	return JSON.parse(fixtureBytes(type).toString('utf8')) as Record<string, unknown>;
}

export const ALL_FIXTURES: readonly EventType[] = EVENT_TYPES;
